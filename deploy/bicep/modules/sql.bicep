// Azure SQL with Microsoft Entra-only authentication: no SQL login, no password anywhere. The apps connect as their
// workload identities (users created inside each database: docs/operations.md, "Database users").
param name string
param location string
param tags object
param adminGroupName string
param adminGroupObjectId string
param databaseNames string[]
param databaseSku string

resource server 'Microsoft.Sql/servers@2023-08-01-preview' = {
  name: name
  location: location
  tags: tags
  properties: {
    minimalTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    administrators: {
      administratorType: 'ActiveDirectory'
      azureADOnlyAuthentication: true
      login: adminGroupName
      sid: adminGroupObjectId
      tenantId: subscription().tenantId
      principalType: 'Group'
    }
  }
}

// AKS egress reaches the server through its public endpoint; a private endpoint is the next hardening step.
resource allowAzureServices 'Microsoft.Sql/servers/firewallRules@2023-08-01-preview' = {
  parent: server
  name: 'AllowAllWindowsAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource databases 'Microsoft.Sql/servers/databases@2023-08-01-preview' = [
  for databaseName in databaseNames: {
    parent: server
    name: databaseName
    location: location
    tags: tags
    sku: {
      name: databaseSku
    }
    properties: {
      collation: 'SQL_Latin1_General_CP1_CI_AS'
      zoneRedundant: false
    }
  }
]

output fullyQualifiedDomainName string = server.properties.fullyQualifiedDomainName
