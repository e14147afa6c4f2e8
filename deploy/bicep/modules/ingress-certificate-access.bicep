// Lets the AKS application routing add-on read the web Ingress certificate from Key Vault (it syncs the certificate,
// private key included, through the Secrets Store CSI driver, which reads it as a secret).
param keyVaultName string
@description('Object id of the application routing add-on identity (aks.bicep output webAppRoutingPrincipalId).')
param principalId string

// Built-in role: Key Vault Secrets User.
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, keyVaultSecretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
