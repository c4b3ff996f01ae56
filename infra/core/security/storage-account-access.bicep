// One role on the whole storage account for one principal: only for the deploying user (uploads of images,
// datasets and the default model). The apps get roles per container, queue and table (storage-data-access.bicep).

param storageAccountName string

param principalId string

@allowed([
  'ServicePrincipal'
  'User'
  'Group'
])
param principalType string = 'User'

@description('Built-in role definition id to grant on the account.')
param roleDefinitionId string

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, roleDefinitionId)
  scope: account
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
  }
}
