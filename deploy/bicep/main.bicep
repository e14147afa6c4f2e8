// DaprReservations on Azure: AKS with the Dapr extension, Azure Cache for Redis, Service Bus, Azure SQL (Entra-only),
// Key Vault, monitoring, and one workload identity per Dapr app id. Deploy per environment with
// `az deployment group create -g <rg> -f main.bicep -p parameters.<env>.bicepparam` (docs/operations.md).
targetScope = 'resourceGroup'

@description('Environment name, part of every resource name.')
@allowed([
  'dev'
  'prod'
])
param environmentName string

@description('Azure region for every resource.')
param location string = resourceGroup().location

@description('Short prefix for resource names (lowercase letters and digits).')
@minLength(3)
@maxLength(10)
param namePrefix string = 'daprres'

@description('Entra group (or user) that administers Azure SQL: the only SQL administrator, there is no SQL login.')
param sqlAdminGroupName string

@description('Object id of that Entra group (or user).')
param sqlAdminGroupObjectId string

@description('AKS system/user node pool size and VM size.')
param aksNodeCount int = 2
param aksNodeVmSize string = 'Standard_D4ds_v5'

@description('Availability zones for the node pool (empty for none).')
param availabilityZones string[] = []

@description('Azure Cache for Redis SKU: Basic/Standard (family C) or Premium (family P).')
@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param redisSku string = 'Standard'
param redisCapacity int = 1

@description('Azure SQL database SKU name (e.g. GP_S_Gen5_1 serverless, GP_Gen5_2).')
param sqlDatabaseSku string = 'GP_S_Gen5_1'

@description('Dapr extension: highly available control plane (3 replicas of each Dapr service).')
param daprHighAvailability bool = false

@description('Deliveries before Service Bus dead-letters a message; equals maxDeliveryCount in components/azure/pubsub.yaml.')
param maxDeliveryCount int = 10

@description('Message lock in seconds; equals lockDurationInSec in components/azure/pubsub.yaml.')
param lockDurationInSec int = 60

@description('Kubernetes namespace of the apps (deploy/aks/base/kustomization.yaml).')
param kubernetesNamespace string = 'daprreservations'

@description('Key Vault certificate for the web Ingress host (imported or issued into the vault, docs/operations.md).')
param ingressCertificateName string = 'web-tls'

// Sign-in. The two Entra ID app registrations are made by deploy/entra/register.sh, not here: Microsoft Graph resources
// in Bicep are still an extension in preview, and registrations are tenant objects that outlive any resource group.
// Their client ids only pass through to the outputs, next to the tenant's authority, for azure-settings.env.
@description('Client id of the API app registration (deploy/entra/register.sh): the audience of v2 access tokens.')
param entraApiClientId string = ''

@description('Client id of the web app registration (deploy/entra/register.sh): web signs users in as this client.')
param entraWebClientId string = ''

@description('Key Vault secret holding the web registration\'s client secret (written by deploy/entra/register.sh).')
param webSignInSecretName string = 'web-signin-client-secret'

// The Dapr app ids (services/BuildingBlocks/Topology/DaprNames.cs): one identity and one ServiceAccount each.
var appIds = [
  'web'
  'catalog'
  'reservation'
  'ordering'
  'payment'
]

// Apps that use the pubsub component (its scopes in components/azure/pubsub.yaml).
var pubSubApps = [
  'catalog'
  'reservation'
  'ordering'
  'payment'
]

// Apps that load a Redis component and so read the Redis key from Key Vault (components/azure/secretstore.yaml);
// web for sessionstore, its sign-in sessions.
var keyVaultApps = [
  'web'
  'catalog'
  'reservation'
]

// Apps that own a SQL database (the database is named after the app id).
var sqlApps = [
  'catalog'
  'reservation'
  'ordering'
  'payment'
]

// Topics (Topology/DaprNames.cs) and the app ids subscribed to each, exactly as the code subscribes (docs/development.md,
// "Events"): the subscription name is the subscriber's app id, which is Dapr's default consumerID. A subscription
// without a consumer would only collect messages until they dead-letter. The saga topics follow Contracts/SagaEvents.cs and services/payment/README.md.
var topicSubscriptions = [
  {
    topic: 'catalog.slot-changed'
    subscribers: [
      'catalog'
    ]
  }
  {
    topic: 'reservation.hold-placed'
    subscribers: []
  }
  {
    topic: 'reservation.hold-released'
    subscribers: []
  }
  {
    topic: 'reservation.hold-confirmed'
    subscribers: []
  }
  {
    topic: 'payment.requested'
    subscribers: [
      'payment'
    ]
  }
  {
    topic: 'payment.succeeded'
    subscribers: [
      'ordering'
    ]
  }
  {
    topic: 'payment.failed'
    subscribers: [
      'ordering'
    ]
  }
  {
    // Audit and notifications; nobody in the saga waits for it.
    topic: 'payment.refunded'
    subscribers: []
  }
  {
    topic: 'order.confirmed'
    subscribers: []
  }
  {
    topic: 'order.cancelled'
    subscribers: [
      'reservation'
      'payment'
    ]
  }
  {
    topic: 'order.expired'
    subscribers: [
      'reservation'
      'payment'
    ]
  }
  {
    topic: 'order.failed'
    subscribers: [
      'reservation'
      'payment'
    ]
  }
]

var baseName = '${namePrefix}-${environmentName}'
var compactName = '${namePrefix}${environmentName}'
var tags = {
  application: 'daprreservations'
  environment: environmentName
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    baseName: baseName
    location: location
    tags: tags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    // Key Vault names are global and at most 24 characters.
    name: take('kv-${baseName}-${uniqueString(resourceGroup().id)}', 24)
    location: location
    tags: tags
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  params: {
    name: take('acr${compactName}${uniqueString(resourceGroup().id)}', 50)
    location: location
    tags: tags
  }
}

module aks 'modules/aks.bicep' = {
  name: 'aks'
  params: {
    name: 'aks-${baseName}'
    location: location
    tags: tags
    nodeCount: aksNodeCount
    nodeVmSize: aksNodeVmSize
    availabilityZones: availabilityZones
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    daprHighAvailability: daprHighAvailability
    registryName: registry.outputs.name
  }
}

module ingressCertificateAccess 'modules/ingress-certificate-access.bicep' = {
  name: 'ingress-certificate-access'
  params: {
    keyVaultName: keyVault.outputs.name
    principalId: aks.outputs.webAppRoutingPrincipalId
  }
}

module redis 'modules/redis.bicep' = {
  name: 'redis'
  params: {
    name: 'redis-${baseName}-${uniqueString(resourceGroup().id)}'
    location: location
    tags: tags
    sku: redisSku
    capacity: redisCapacity
    keyVaultName: keyVault.outputs.name
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    name: 'sb-${baseName}-${uniqueString(resourceGroup().id)}'
    location: location
    tags: tags
    topicSubscriptions: topicSubscriptions
    maxDeliveryCount: maxDeliveryCount
    lockDurationInSec: lockDurationInSec
  }
}

module sql 'modules/sql.bicep' = {
  name: 'sql'
  params: {
    name: 'sql-${baseName}-${uniqueString(resourceGroup().id)}'
    location: location
    tags: tags
    adminGroupName: sqlAdminGroupName
    adminGroupObjectId: sqlAdminGroupObjectId
    databaseNames: sqlApps
    databaseSku: sqlDatabaseSku
  }
}

module identities 'modules/identities.bicep' = [
  for appId in appIds: {
    name: 'identity-${appId}'
    params: {
      name: 'id-${baseName}-${appId}'
      location: location
      tags: tags
      oidcIssuerUrl: aks.outputs.oidcIssuerUrl
      serviceAccountSubject: 'system:serviceaccount:${kubernetesNamespace}:${appId}'
      serviceBusNamespaceName: contains(pubSubApps, appId) ? serviceBus.outputs.name : ''
      keyVaultName: contains(keyVaultApps, appId) ? keyVault.outputs.name : ''
    }
  }
]

output aksName string = aks.outputs.name
output oidcIssuerUrl string = aks.outputs.oidcIssuerUrl
output registryLoginServer string = registry.outputs.loginServer
// The names deploy/aks/overlays/<env>/azure-settings.env needs (docs/operations.md shows the mapping).
output redisHost string = redis.outputs.hostName
output serviceBusNamespace string = serviceBus.outputs.name
output keyVaultName string = keyVault.outputs.name
// INGRESS_TLS_CERT_URI: unversioned, so the add-on follows the certificate's renewals.
output ingressTlsCertificateUri string = '${keyVault.outputs.uri}certificates/${ingressCertificateName}'
output sqlServerFqdn string = sql.outputs.fullyQualifiedDomainName
output applicationInsightsConnectionString string = monitoring.outputs.applicationInsightsConnectionString
output workloadIdentities array = [
  for (appId, i) in appIds: {
    appId: appId
    clientId: identities[i].outputs.clientId
  }
]
output sqlApps string[] = sqlApps
// Sign-in (azure-settings.env: Auth__Authority, Auth__Audience, SignIn__ClientId, SignIn__ApiScope; deploy/entra).
// v2 endpoint: the API registration accepts v2 tokens only, whose issuer is {login endpoint}{tenant id}/v2.0.
output tenantId string = tenant().tenantId
output entraAuthority string = '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
output entraApiClientId string = entraApiClientId
output entraWebClientId string = entraWebClientId
// Entra ID names another application's scope by its identifier URI, api://{API client id} (deploy/entra/README.md).
output entraApiScope string = empty(entraApiClientId) ? '' : 'api://${entraApiClientId}/access_as_user'
// Where register.sh stores the web client secret; the Kubernetes Secret web-signin is created from it.
output webSignInSecretName string = webSignInSecretName
