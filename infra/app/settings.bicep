// What the two function apps are told, in one place: storage names, the Captioner settings, which
// functions each role runs, and the app settings built from them. main.bicep imports it, and the
// infrastructure tests evaluate the same functions (tests/Captioner.Infra.Tests/Harness).

@export()
@description('Containers, queues and tables the app uses (src/Captioner.Core/Storage/StorageNames.cs), plus image-events, the queue Event Grid delivers blob-created events for images to.')
var storageNames = {
  containers: [
    'images'
    'captions'
    'models'
    'training'
  ]
  queues: [
    'features'
    'caption-requests'
    'bulk-requests'
    'image-events'
  ]
  tables: [
    'bulkjobs'
  ]
  imagesContainer: 'images'
  imageEventsQueue: 'image-events'
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
  Captioner__ModelPollInterval: '00:00:30'
  Captioner__BulkPageSize: '1000'
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
@description('Queues of the Durable Task hub (host.json: durableTask hubName "Captioner", partitionCount 1) that wake the training app; the Functions on Container Apps platform does not scale Durable Functions on the Azure Storage provider by itself.')
var durableTaskQueues = [
  'captioner-control-00'
  'captioner-workitems'
]

@export()
@description('Port the Functions host listens on inside the container (non-root, so not 80).')
var functionsPort = 8080

@export()
@description('The role of an app: captioning or training.')
type role = 'captioning' | 'training'

@export()
@description('Every app setting of one role: the Functions host with an identity-based AzureWebJobsStorage (no keys), Application Insights with Entra ID ingestion, the Captioner settings, and the other role\'s functions switched off.')
func appSettings(role role, storageAccountName string, identityClientId string, appInsightsConnectionString string, trainingApiUrl string) object =>
  union(
    {
      FUNCTIONS_WORKER_RUNTIME: 'dotnet-isolated'
      ASPNETCORE_URLS: 'http://+:${functionsPort}'
      AzureWebJobsStorage__accountName: storageAccountName
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      AzureWebJobsSecretStorageType: 'blob'
      AZURE_CLIENT_ID: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    },
    captionerSettings,
    // The page (captioning app) sends training requests to the training app, which allows its origin (CORS).
    { Captioner__TrainingApiUrl: role == 'captioning' ? trainingApiUrl : '' },
    toObject(
      role == 'captioning' ? trainingFunctions : captioningFunctions,
      name => 'AzureWebJobs.${name}.Disabled',
      name => 'true'
    )
  )
