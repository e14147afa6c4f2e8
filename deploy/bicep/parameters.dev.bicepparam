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
