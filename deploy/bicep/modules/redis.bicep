// Azure Cache for Redis for the statestore, cache and lockstore components: TLS only (port 6380), TLS 1.2+.
// Its access key is written to Key Vault as "redis-password" (read by the sidecars through secretKeyRef), so it
// never appears in a manifest or a parameter file.
param name string
param location string
param tags object
@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param sku string
param capacity int
param keyVaultName string

resource cache 'Microsoft.Cache/redis@2024-03-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: {
      name: sku
      family: sku == 'Premium' ? 'P' : 'C'
      capacity: capacity
    }
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    redisConfiguration: {
      // Dapr's Redis lock and first-write ETags rely on keys not being evicted under memory pressure.
      'maxmemory-policy': 'noeviction'
    }
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource redisPassword 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'redis-password'
  properties: {
    value: cache.listKeys().primaryKey
    contentType: 'Azure Cache for Redis primary access key (rotate: docs/operations.md)'
  }
}

output hostName string = cache.properties.hostName
output sslPort int = cache.properties.sslPort
