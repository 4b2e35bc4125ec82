// Key Vault for Huddle's secrets (the answer key behind anonymous answers; later, optional LLM keys).
// Access by Azure RBAC only: the app's identity may read secrets, nobody's keys sit in app settings.
param name string
param location string
param tags object
@description('Principal id of the managed identity Huddle runs as.')
param appPrincipalId string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

// Key Vault Secrets User: read secret values, nothing else.
var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource appReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, appPrincipalId, secretsUser)
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
  }
}

output name string = vault.name
