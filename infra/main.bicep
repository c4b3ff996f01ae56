// Captioner in one resource group: storage (Entra ID only), Event Grid for uploads, a Container Apps
// environment with a serverless GPU profile, the Functions app in two roles (captioning, training)
// from one image, a registry, a user-assigned identity with data-plane roles, and monitoring.
// `azd up` provisions this with main.parameters.json and deploys the two services of azure.yaml.

targetScope = 'subscription'

import { storageNames, appSettings, durableTaskQueues } from 'app/settings.bicep'

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

@description('Replicas the training app keeps running when idle: 0 scales to zero (it wakes on HTTP and on its Durable Task queues).')
@minValue(0)
@maxValue(1)
param trainingMinReplicas int = 0

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
var roles = {
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

resource rg 'Microsoft.Resources/resourceGroups@2024-11-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'core/security/user-assigned-identity.bicep' = {
  scope: rg
  params: {
    name: 'id-captioner-${token}'
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

module appStorageAccess 'core/security/storage-access.bicep' = {
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    principalId: identity.outputs.principalId
    roleDefinitionIds: [
      roles.storageBlobDataContributor
      roles.storageQueueDataContributor
      roles.storageTableDataContributor
    ]
  }
}

module userStorageAccess 'core/security/storage-access.bicep' = if (!empty(principalId)) {
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    principalId: principalId
    principalType: principalType
    roleDefinitionIds: [
      roles.storageBlobDataContributor
    ]
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

module telemetryAccess 'core/security/monitoring-publisher.bicep' = {
  scope: rg
  params: {
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    principalId: identity.outputs.principalId
  }
}

module registry 'core/host/container-registry.bicep' = {
  scope: rg
  params: {
    name: 'cr${token}'
    location: location
    tags: tags
    pullPrincipalId: identity.outputs.principalId
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

// The identity's roles are in place before either app starts (the AcrPull assignment comes with
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
    appStorageAccess
    telemetryAccess
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
    identityId: identity.outputs.id
    registryServer: registry.outputs.loginServer
    storageAccountName: storage.outputs.name
    settings: appSettings('captioning', storage.outputs.name, identity.outputs.clientId, monitoring.outputs.applicationInsightsConnectionString, trainingUrl)
    exists: captionerExists
  }
}

module trainingApp 'app/functions-app.bicep' = {
  scope: rg
  dependsOn: [
    appStorageAccess
    telemetryAccess
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
    identityId: identity.outputs.id
    registryServer: registry.outputs.loginServer
    storageAccountName: storage.outputs.name
    settings: appSettings('training', storage.outputs.name, identity.outputs.clientId, monitoring.outputs.applicationInsightsConnectionString, trainingUrl)
    extraQueueScaleRules: durableTaskQueues
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
output CAPTIONER_APP_NAME string = captioningApp.outputs.name
output CAPTIONER_URL string = captioningApp.outputs.uri
output TRAINER_APP_NAME string = trainingApp.outputs.name
output TRAINER_URL string = trainingApp.outputs.uri
