// prod: three zones, Standard Redis (replicated), HA Dapr control plane.
using 'main.bicep'

param environmentName = 'prod'
param sqlAdminGroupName = 'daprreservations-sql-admins'
param sqlAdminGroupObjectId = '00000000-0000-0000-0000-000000000000' // replace: the Entra group's object id
param aksNodeCount = 3
param aksNodeVmSize = 'Standard_D8ds_v5'
param availabilityZones = [
  '1'
  '2'
  '3'
]
param redisSku = 'Standard'
param redisCapacity = 2
param sqlDatabaseSku = 'GP_Gen5_2'
param daprHighAvailability = true
param maxDeliveryCount = 10
param lockDurationInSec = 60
// Printed by deploy/entra/register.sh; the same values as Auth__Audience and SignIn__ClientId in
// deploy/aks/overlays/prod/azure-settings.env (tests/Deployment.Tests checks they agree).
param entraApiClientId = '00000000-0000-0000-0000-0000000000f1' // replace: the API registration's client id
param entraWebClientId = '00000000-0000-0000-0000-0000000000f2' // replace: the web registration's client id
