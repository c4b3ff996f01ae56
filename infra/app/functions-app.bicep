// One role of the Functions app (src/Captioner.Functions) as Azure Functions on Container Apps
// (Microsoft.App/containerApps, kind functionapp): the same image for both roles, told apart by
// app settings (settings.bicep). Scales to zero; the platform adds the scale rules of the app's
// triggers, and extraQueueScaleRules adds queue rules for what it does not cover.

import { functionsPort } from 'settings.bicep'

param name string

param location string = resourceGroup().location

param tags object = {}

@description('The azd service this app is deployed as (azure.yaml).')
param serviceName string

param environmentId string

@description('Workload profile: "gpu" (serverless GPU) or "Consumption" (CPU).')
@allowed([
  'gpu'
  'Consumption'
])
param workloadProfileName string

@description('vCPUs of a replica (a serverless GPU replica gets the whole profile: T4 8, A100 24).')
param cpu int

@description('Memory of a replica, e.g. 56Gi (T4), 220Gi (A100), 8Gi (Consumption).')
param memory string

@minValue(0)
param minReplicas int = 0

@minValue(1)
param maxReplicas int

@description('The user-assigned identity the app runs as (resource id and client id).')
param identityId string

param registryServer string

@description('App settings, name to value (settings.bicep appSettings): become environment variables; none is a secret.')
param settings object

@description('Storage queues whose length also scales the app (KEDA azure-queue, read with the identity).')
param extraQueueScaleRules string[] = []

param storageAccountName string

@description('Origins whose pages may call this app from the browser (the captioning app\'s page calls the training app).')
param corsAllowedOrigins string[] = []

@description('Whether azd deployed this app before: keep its image instead of the placeholder.')
param exists bool = false

@description('Image used until azd deploys the app\'s own (the Functions base image: listens on ASPNETCORE_URLS, runs no functions).')
param placeholderImage string = 'mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0'

resource existingApp 'Microsoft.App/containerApps@2025-07-01' existing = if (exists) {
  name: name
}

var queueRules = [
  for queue in extraQueueScaleRules: {
    name: 'queue-${queue}'
    azureQueue: {
      accountName: storageAccountName
      queueName: queue
      queueLength: 1
      identity: identityId
    }
  }
]

// With rules of its own the app may lose the platform's generated ones, so HTTP gets a rule too.
var scaleRules = empty(queueRules)
  ? []
  : concat(queueRules, [
      {
        name: 'http'
        http: {
          metadata: {
            concurrentRequests: '20'
          }
        }
      }
    ])

resource app 'Microsoft.App/containerApps@2025-07-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: workloadProfileName
    configuration: {
      activeRevisionsMode: 'Single'
      // External HTTPS ingress; every HTTP function, the page included, asks for a function key (authLevel Function,
      // checked by FunctionsMetadataTests). No Container Apps built-in authentication: the CLI and scripts call with
      // x-functions-key, and sign-in would need an app registration and secret these templates do not hold (README).
      ingress: {
        external: true
        targetPort: functionsPort
        transport: 'auto'
        allowInsecure: false
        // Keys travel as ?code=, so only the JSON content type needs allowing; no CORS where no origin is named.
        corsPolicy: empty(corsAllowedOrigins) ? null : {
          allowedOrigins: corsAllowedOrigins
          allowedMethods: ['GET', 'POST']
          allowedHeaders: ['content-type']
        }
      }
      registries: [
        {
          server: registryServer
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'functions'
          image: exists ? existingApp!.properties.template!.containers![0].image! : placeholderImage
          env: [for setting in items(settings): { name: setting.key, value: setting.value }]
          resources: {
            cpu: cpu
            memory: memory
          }
        }
      ]
      scale: union(
        {
          minReplicas: minReplicas
          maxReplicas: maxReplicas
        },
        empty(scaleRules) ? {} : { rules: scaleRules }
      )
    }
  }
}

output name string = app.name
output uri string = 'https://${app.properties.configuration!.ingress!.fqdn}'
