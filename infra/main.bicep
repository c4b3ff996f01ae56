// Captioner in one resource group: storage (Entra ID only), Event Grid for uploads, a Container Apps
// environment with a serverless GPU profile, the Functions app in two roles (captioning, training)
// from one image, a registry, an identity per app with data roles on exactly the containers, queues and tables
// it uses (settings.bicep dataAccess), and monitoring.
// `azd up` provisions this with main.parameters.json and deploys the two services of azure.yaml.

targetScope = 'subscription'

import { storageNames, appSettings, durableTaskQueues, dataAccess, dataRoles } from 'app/settings.bicep'

@minLength(1)
@maxLength(64)
@description('azd environment name: names the resource group and seeds the resource names.')
param environmentName string

@minLength(1)
@description('Region of every resource. Serverless GPUs exist in some regions only (e.g. West US 3, Australia East, Sweden Central).')
param location string

@description('Object id of the deploying user (azd sets it): may upload images, datasets and models with Entra ID. Empty: no assignment.')
param principalId string = ''

@description('Type of principalId.')
@allowed([
  'User'
  'ServicePrincipal'
])
param principalType string = 'User'

@description('GPU class of the captioning app: serverless T4 (8 vCPU, 56 GiB) or A100 (24 vCPU, 220 GiB). Needs serverless GPU quota.')
@allowed([
  'T4'
  'A100'
])
param gpuProfile string = 'T4'

@description('Where the training app runs: cpu (Consumption profile, 4 vCPU, 8 GiB) or gpu (the GPU profile; ONNX Runtime feature extraction uses it, TorchSharp training stays on the CPU).')
@allowed([
  'cpu'
  'gpu'
])
param trainingCompute string = 'cpu'

@description('Most GPU replicas of the captioning app (each is one GPU of your quota).')
@minValue(1)
@maxValue(100)
param captionMaxReplicas int = 1

@description('Replicas the training app keeps running: at least 1, since Durable Functions on Container Apps scales to zero only on the MSSQL backend (this app uses Azure Storage), and a running training chunk must not lose its replica when HTTP traffic stops.')
@minValue(1)
@maxValue(1)
param trainingMinReplicas int = 1

@description('Days a deleted or overwritten blob (a model, an image) can be restored.')
@minValue(1)
@maxValue(365)
param softDeleteRetentionDays int = 14

@description('Whether azd already deployed the captioner service (keeps its image on re-provisioning).')
param captionerExists bool = false

@description('Whether azd already deployed the trainer service.')
param trainerExists bool = false

var tags = {
  'azd-env-name': environmentName
}
var token = toLower(uniqueString(subscription().id, environmentName, location))
var gpuProfiles = {
  T4: {
    type: 'Consumption-GPU-NC8as-T4'
    cpu: 8
    memory: '56Gi'
  }
  A100: {
    type: 'Consumption-GPU-NC24-A100'
    cpu: 24
    memory: '220Gi'
  }
}
var gpu = gpuProfiles[gpuProfile]
var cpuReplica = {
  cpu: 4
  memory: '8Gi'
}

resource rg 'Microsoft.Resources/resourceGroups@2024-11-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

// One identity per app: the captioning app decodes untrusted images, so it must not share the training app's rights.
module captioningIdentity 'core/security/user-assigned-identity.bicep' = {
  scope: rg
  params: {
    name: 'id-caption-${token}'
    location: location
    tags: tags
  }
}

module trainingIdentity 'core/security/user-assigned-identity.bicep' = {
  scope: rg
  params: {
    name: 'id-train-${token}'
    location: location
    tags: tags
  }
}

module storage 'core/storage/storage-account.bicep' = {
  scope: rg
  params: {
    name: 'st${token}'
    location: location
    tags: tags
    containers: storageNames.containers
    queues: storageNames.queues
    tables: storageNames.tables
    softDeleteRetentionDays: softDeleteRetentionDays
  }
}

module captioningStorageAccess 'core/security/storage-data-access.bicep' = {
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    principalId: captioningIdentity.outputs.principalId
    containers: dataAccess.captioning.containers
    queues: dataAccess.captioning.queues
    tables: dataAccess.captioning.tables
    queueRole: dataRoles.queueContributor
    tableRole: dataRoles.tableContributor
  }
}

module trainingStorageAccess 'core/security/storage-data-access.bicep' = {
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    principalId: trainingIdentity.outputs.principalId
    containers: dataAccess.training.containers
    queues: dataAccess.training.queues
    tables: dataAccess.training.tables
    queueRole: dataRoles.queueContributor
    tableRole: dataRoles.tableContributor
  }
}

module userStorageAccess 'core/security/storage-account-access.bicep' = if (!empty(principalId)) {
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    principalId: principalId
    principalType: principalType
    roleDefinitionId: dataRoles.blobContributor
  }
}

module imageEvents 'app/image-events.bicep' = {
  scope: rg
  params: {
    name: 'evgt-${token}'
    location: storage.outputs.location
    tags: tags
    storageAccountName: storage.outputs.name
    containerName: storageNames.imagesContainer
    queueName: storageNames.imageEventsQueue
  }
}

module monitoring 'core/monitor/monitoring.bicep' = {
  scope: rg
  params: {
    logAnalyticsName: 'log-${token}'
    applicationInsightsName: 'appi-${token}'
    location: location
    tags: tags
  }
}

module captioningTelemetryAccess 'core/security/monitoring-publisher.bicep' = {
  scope: rg
  params: {
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    principalId: captioningIdentity.outputs.principalId
  }
}

module trainingTelemetryAccess 'core/security/monitoring-publisher.bicep' = {
  scope: rg
  params: {
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    principalId: trainingIdentity.outputs.principalId
  }
}

module registry 'core/host/container-registry.bicep' = {
  scope: rg
  params: {
    name: 'cr${token}'
    location: location
    tags: tags
    pullPrincipalIds: [captioningIdentity.outputs.principalId, trainingIdentity.outputs.principalId]
  }
}

module environment 'core/host/container-apps-environment.bicep' = {
  scope: rg
  params: {
    name: 'cae-${token}'
    location: location
    tags: tags
    gpuProfileType: gpu.type
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

// Each identity's roles are in place before its app starts (the AcrPull assignments come with
// the registry module, whose output both apps use).
// Each app's address is its name under the environment's domain: the captioning app's page calls the training app
// (training runs in an app of its own), which allows that origin.
var captioningAppName = 'ca-caption-${token}'
var trainingAppName = 'ca-train-${token}'
var captioningUrl = 'https://${captioningAppName}.${environment.outputs.defaultDomain}'
var trainingUrl = 'https://${trainingAppName}.${environment.outputs.defaultDomain}'

module captioningApp 'app/functions-app.bicep' = {
  scope: rg
  dependsOn: [
    captioningStorageAccess
    captioningTelemetryAccess
  ]
  params: {
    name: captioningAppName
    location: location
    tags: tags
    serviceName: 'captioner'
    environmentId: environment.outputs.id
    workloadProfileName: 'gpu'
    cpu: gpu.cpu
    memory: gpu.memory
    maxReplicas: captionMaxReplicas
    identityId: captioningIdentity.outputs.id
    registryServer: registry.outputs.loginServer
    storageAccountName: storage.outputs.name
    settings: appSettings('captioning', storage.outputs.name, captioningIdentity.outputs.clientId, monitoring.outputs.applicationInsightsConnectionString, trainingUrl, captioningUrl, true)
    scaleQueues: storageNames.pipelineQueues
    exists: captionerExists
  }
}

module trainingApp 'app/functions-app.bicep' = {
  scope: rg
  dependsOn: [
    trainingStorageAccess
    trainingTelemetryAccess
  ]
  params: {
    name: trainingAppName
    location: location
    tags: tags
    serviceName: 'trainer'
    environmentId: environment.outputs.id
    workloadProfileName: trainingCompute == 'gpu' ? 'gpu' : 'Consumption'
    cpu: trainingCompute == 'gpu' ? gpu.cpu : cpuReplica.cpu
    memory: trainingCompute == 'gpu' ? gpu.memory : cpuReplica.memory
    minReplicas: trainingMinReplicas
    maxReplicas: 1
    identityId: trainingIdentity.outputs.id
    registryServer: registry.outputs.loginServer
    storageAccountName: storage.outputs.name
    settings: appSettings('training', storage.outputs.name, trainingIdentity.outputs.clientId, monitoring.outputs.applicationInsightsConnectionString, trainingUrl, trainingUrl, trainingCompute == 'gpu')
    scaleQueues: durableTaskQueues
    corsAllowedOrigins: [captioningUrl]
    exists: trainerExists
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_CONTAINER_ENVIRONMENT_NAME string = environment.outputs.name
output STORAGE_ACCOUNT_NAME string = storage.outputs.name
output STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output CAPTIONER_APP_NAME string = captioningApp.outputs.name
output CAPTIONER_URL string = captioningApp.outputs.uri
output TRAINER_APP_NAME string = trainingApp.outputs.name
output TRAINER_URL string = trainingApp.outputs.uri
