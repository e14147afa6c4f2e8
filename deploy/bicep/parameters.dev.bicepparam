// dev: smallest sizes, no zones, single-replica Dapr control plane.
using 'main.bicep'

param environmentName = 'dev'
param sqlAdminGroupName = 'daprreservations-sql-admins-dev'
param sqlAdminGroupObjectId = '00000000-0000-0000-0000-000000000000' // replace: the Entra group's object id
param aksNodeCount = 2
param aksNodeVmSize = 'Standard_D4ds_v5'
param redisSku = 'Basic'
param redisCapacity = 0
param sqlDatabaseSku = 'GP_S_Gen5_1'
param daprHighAvailability = false
param maxDeliveryCount = 10
param lockDurationInSec = 60
// Printed by deploy/entra/register.sh; the same values as Auth__Audience and SignIn__ClientId in
// deploy/aks/overlays/dev/azure-settings.env (tests/Deployment.Tests checks they agree).
param entraApiClientId = '00000000-0000-0000-0000-0000000000d1' // replace: the API registration's client id
param entraWebClientId = '00000000-0000-0000-0000-0000000000d2' // replace: the web registration's client id
