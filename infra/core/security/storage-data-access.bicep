// The data roles of one app's identity, each scoped to one container, queue or table (settings.bicep dataAccess):
// nothing on the account. A container grant with a writablePrefix carries an ABAC condition: blobs may be read
// anywhere in the container, but written, deleted and listed only under the prefix.

import { onlyUnder, writesOnlyUnder } from 'blob-conditions.bicep'

param storageAccountName string

param principalId string

@description('Containers: name, built-in role id, writablePrefix (empty: the whole container), onlyPrefix (true: reads too are limited to the prefix).')
param containers { name: string, role: string, writablePrefix: string, onlyPrefix: bool? }[]

@description('Queues granted Storage Queue Data Contributor.')
param queues string[]

@description('Tables granted Storage Table Data Contributor.')
param tables string[]

@description('Built-in role ids of the queue and table grants.')
param queueRole string
param tableRole string

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'
  }

  resource queueService 'queueServices' existing = {
    name: 'default'
  }

  resource tableService 'tableServices' existing = {
    name: 'default'
  }
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' existing = [
  for grant in containers: {
    parent: account::blobService
    name: grant.name
  }
]

resource storageQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' existing = [
  for queue in queues: {
    parent: account::queueService
    name: queue
  }
]

resource storageTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-01-01' existing = [
  for table in tables: {
    parent: account::tableService
    name: table
  }
]

resource containerAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (grant, i) in containers: {
    name: guid(blobContainers[i].id, principalId, grant.role)
    scope: blobContainers[i]
    properties: union(
      {
        principalId: principalId
        principalType: 'ServicePrincipal'
        roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', grant.role)
      },
      empty(grant.writablePrefix) ? {} : { conditionVersion: '2.0', condition: (grant.?onlyPrefix ?? false) ? onlyUnder(grant.writablePrefix) : writesOnlyUnder(grant.writablePrefix) }
    )
  }
]

resource queueAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (queue, i) in queues: {
    name: guid(storageQueues[i].id, principalId, queueRole)
    scope: storageQueues[i]
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', queueRole)
    }
  }
]

resource tableAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (table, i) in tables: {
    name: guid(storageTables[i].id, principalId, tableRole)
    scope: storageTables[i]
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', tableRole)
    }
  }
]
