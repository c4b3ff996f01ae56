// What the two function apps are told and allowed, in one place: storage names, the Captioner settings, which
// functions each role runs, what each role's identity may do in storage, and the app settings built from them.
// main.bicep imports it, and the infrastructure tests evaluate the same values (tests/Captioner.Infra.Tests/Harness).

@description('Queues of the captioning pipeline (StorageNames.PipelineQueues), each read by a queue trigger of the captioning app.')
var pipelineQueues = [
  'image-events'
  'features'
  'caption-requests'
  'bulk-requests'
]

@export()
@description('Host ids (AzureFunctionsWebHost__hostid), set rather than derived from the app names: the apps never collide in the shared account, and each one\'s keys sit under a known prefix of azure-webjobs-secrets.')
var hostIds = {
  captioning: 'captioner-caption'
  training: 'captioner-train'
}

@export()
@description('Containers the Functions host keeps in AzureWebJobsStorage: leases, timer schedules and blob receipts (hosts); keys (secrets, AzureWebJobsSecretStorageType blob).')
var hostContainers = {
  hosts: 'azure-webjobs-hosts'
  secrets: 'azure-webjobs-secrets'
}

@export()
@description('Queues of the Durable Task hub (host.json: durableTask hubName "Captioner", partitionCount 1): the training app reads them, and they wake it.')
var durableTaskQueues = [
  'captioner-control-00'
  'captioner-workitems'
]

@export()
@description('Containers and tables of the Durable Task hub "Captioner" (Azure Storage provider), created here so each carries its own role assignment.')
var durableTaskStore = {
  containers: [
    'captioner-leases'
    'captioner-applease'
    'captioner-largemessages'
  ]
  tables: [
    'CaptionerHistory'
    'CaptionerInstances'
    'CaptionerPartitions'
  ]
}

@export()
@description('What the account holds: the app\'s containers, queues and table (src/Captioner.Core/Storage/StorageNames.cs; image-events is where Event Grid delivers blob-created events of images), a -poison queue beside every pipeline queue, the Functions host\'s containers and the task hub\'s.')
var storageNames = {
  containers: concat(
    [
      'images'
      'captions'
      'models'
      'training'
      'thumbnails'
    ],
    [hostContainers.hosts, hostContainers.secrets],
    durableTaskStore.containers
  )
  queues: concat(pipelineQueues, map(pipelineQueues, queue => '${queue}-poison'), durableTaskQueues)
  pipelineQueues: pipelineQueues
  tables: concat(['bulkjobs'], durableTaskStore.tables)
  imagesContainer: 'images'
  imageEventsQueue: 'image-events'
}

@export()
@description('Built-in data roles the apps are given.')
var dataRoles = {
  blobContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  blobReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  queueContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  tableContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

@export()
@description('What each app\'s identity may do, resource by resource; nothing on the account. A container grant with a writablePrefix lets blobs be written, deleted and listed only under that prefix (an ABAC condition): the captioning app may only repoint models/current.json among published versions and write people\'s corrections under training/corrections/, and each app reaches only its own host keys. Queues get Queue Data Contributor (the trigger engine also creates its poison queue if missing), tables Table Data Contributor.')
var dataAccess = {
  captioning: {
    containers: [
      { name: 'images', role: dataRoles.blobContributor, writablePrefix: '' }
      { name: 'captions', role: dataRoles.blobContributor, writablePrefix: '' }
      { name: 'thumbnails', role: dataRoles.blobContributor, writablePrefix: '' }
      { name: 'models', role: dataRoles.blobReader, writablePrefix: '' }
      { name: 'models', role: dataRoles.blobContributor, writablePrefix: 'current.json' }
      { name: 'training', role: dataRoles.blobContributor, writablePrefix: 'corrections/', onlyPrefix: true }
      { name: hostContainers.hosts, role: dataRoles.blobContributor, writablePrefix: '' }
      { name: hostContainers.secrets, role: dataRoles.blobContributor, writablePrefix: '${hostIds.captioning}/' }
    ]
    queues: concat(pipelineQueues, map(pipelineQueues, queue => '${queue}-poison'))
    tables: ['bulkjobs']
  }
  training: {
    containers: concat(
      [
        { name: 'training', role: dataRoles.blobContributor, writablePrefix: '' }
        { name: 'models', role: dataRoles.blobContributor, writablePrefix: '' }
        { name: hostContainers.hosts, role: dataRoles.blobContributor, writablePrefix: '' }
        { name: hostContainers.secrets, role: dataRoles.blobContributor, writablePrefix: '${hostIds.training}/' }
      ],
      map(durableTaskStore.containers, container => { name: container, role: dataRoles.blobContributor, writablePrefix: '' })
    )
    queues: durableTaskQueues
    tables: durableTaskStore.tables
  }
}

@export()
@description('Settings of section Captioner, the same in both apps. Keys as in local.settings.sample.json: a key added there is added here (a test compares them).')
var captionerSettings = {
  Captioner__Decoding__Mode: 'greedy'
  Captioner__Decoding__BeamWidth: '3'
  Captioner__Decoding__Temperature: '1.0'
  Captioner__Decoding__MaxWords: '20'
  Captioner__Limits__MaxBytes: '20971520'
  Captioner__Limits__MaxPixels: '50000000'
  Captioner__Limits__MinSide: '16'
  Captioner__WriteCaptionMetadata: 'false'
  Captioner__UnsureBelow: '0.2'
  Captioner__HoldBackUnsure: 'false'
  Captioner__ModelPollInterval: '00:00:30'
  Captioner__SourceContainers: 'images'
  Captioner__MaxRunningTrainingJobs: '1'
  Captioner__BulkPageSize: '5000'
  Captioner__BulkRetentionDays: '30'
  Captioner__TrainingRetentionDays: '30'
  Captioner__Encoder__PreferCuda: 'true'
  Captioner__Encoder__IntraOpThreads: '0'
}

@export()
@description('Functions the captioning app runs ([Function] names in src/Captioner.Functions); the training app runs none of them.')
var captioningFunctions = [
  'ImageUploaded'
  'FeaturesQueued'
  'CaptionRequested'
  'BulkRequested'
  'StartBulk'
  'GetBulk'
  'ReconcileImages'
  // The page and what it reads and writes (images, results, models): behind the captioning app's function keys.
  'Page'
  'PageAsset'
  'ListResults'
  'GetResult'
  'GetImage'
  'UploadImage'
  'GetThumbnail'
  'ListModels'
  'SetCurrentModel'
  'ListCorrections'
  'GetCorrection'
  'PutCorrection'
]

@export()
@description('Functions the training app runs; the captioning app runs none of them. Every function of the app is in exactly one of the two lists (a test checks functions.metadata).')
var trainingFunctions = [
  'StartTraining'
  'GetTraining'
  'TerminateTraining'
  'TrainingOrchestrator'
  'PrepareDatasetActivity'
  'BuildVocabularyActivity'
  'ExtractFeatureShardActivity'
  'TrainChunkActivity'
  'ExportModelActivity'
  'EvaluateModelActivity'
  'PublishModelActivity'
  'PromoteModelActivity'
]

@export()
@description('Function timeout of the training app (AzureFunctionsJobHost__functionTimeout over host.json\'s 10 minutes, which stays for the captioning app\'s queue batches): unbounded, which Functions on Container Apps allows, because a chunk of N epochs of a user\'s data set has no length known in advance. A chunk that fails is retried from its last checkpoint.')
var trainingFunctionTimeout = '-1'

@export()
@description('Port the Functions host listens on inside the container (non-root, so not 80).')
var functionsPort = 8080

@export()
@description('The role of an app: captioning or training.')
type role = 'captioning' | 'training'

@export()
@description('Every app setting of one role: the Functions host with an identity-based AzureWebJobsStorage (no keys) and its own host id, Application Insights with Entra ID ingestion, the Captioner settings, the app\'s public address, whether the encoder must run on CUDA, and the other role\'s functions switched off.')
func appSettings(role role, storageAccountName string, identityClientId string, appInsightsConnectionString string, trainingApiUrl string, publicUrl string, onGpu bool) object =>
  union(
    {
      FUNCTIONS_WORKER_RUNTIME: 'dotnet-isolated'
      ASPNETCORE_URLS: 'http://+:${functionsPort}'
      AzureWebJobsStorage__accountName: storageAccountName
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      AzureWebJobsSecretStorageType: 'blob'
      AzureFunctionsWebHost__hostid: hostIds[role]
      AZURE_CLIENT_ID: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    },
    captionerSettings,
    // The page (captioning app) sends training requests to the training app, which allows its origin (CORS).
    { Captioner__TrainingApiUrl: role == 'captioning' ? trainingApiUrl : '' },
    // Location and statusUri: the platform terminates TLS, so the request the app sees says http.
    { Captioner__PublicUrl: publicUrl },
    // On a GPU profile, a missing CUDA library or too old a driver stops the host instead of serving on the CPU.
    { Captioner__Encoder__RequireCuda: onGpu ? 'true' : 'false' },
    role == 'training' ? { AzureFunctionsJobHost__functionTimeout: trainingFunctionTimeout } : {},
    toObject(
      role == 'captioning' ? trainingFunctions : captioningFunctions,
      name => 'AzureWebJobs.${name}.Disabled',
      name => 'true'
    )
  )
