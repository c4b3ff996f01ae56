// One role of the Functions app (src/Captioner.Functions) as Azure Functions on Container Apps
// (Microsoft.App/containerApps, kind functionapp): the same image for both roles, told apart by
// app settings (settings.bicep). Its scale rules are its own, not the platform's: with
// allowScalingRuleOverride (API 2026-03-02-preview and later) the platform generates no rules from the
// triggers and accepts these, an azure-queue rule per queue the app reads (with its identity) and HTTP.
// Without it user rules are refused, and the generated queue rules are skipped for a user-assigned identity
// (microsoft/azure-container-apps#1633), so an idle app would not wake for uploads.

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

@description('Storage queues the app reads: each one\'s length scales it (KEDA azure-queue, read with the app\'s identity).')
param scaleQueues string[]


param storageAccountName string

@description('Origins whose pages may call this app from the browser (the captioning app\'s page calls the training app).')
param corsAllowedOrigins string[] = []

@description('Whether azd deployed this app before: keep its image instead of the placeholder.')
param exists bool = false

@description('Image used until azd deploys the app\'s own (the Functions base image: listens on ASPNETCORE_URLS, runs no functions).')
param placeholderImage string = 'mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0'

resource existingApp 'Microsoft.App/containerApps@2026-03-02-preview' existing = if (exists) {
  name: name
}

var queueRules = [
  for queue in scaleQueues: {
    name: 'queue-${queue}'
    azureQueue: {
      accountName: storageAccountName
      queueName: queue
      queueLength: 1
      identity: identityId
    }
  }
]

// A replica takes host.json's maxConcurrentRequests HTTP requests at once (more wait, up to maxOutstandingRequests,
// then 429): the HTTP rule adds a replica at that concurrency, so new replicas come before requests queue.
var httpConcurrency = loadJsonContent('../../host.json').extensions.http.maxConcurrentRequests

var httpRule = {
  name: 'http'
  http: {
    metadata: {
      concurrentRequests: string(httpConcurrency)
    }
  }
}

resource app 'Microsoft.App/containerApps@2026-03-02-preview' = {
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
      // External HTTPS ingress; every API function asks for a function key (authLevel Function; only the page's HTML,
      // script and style sheet are anonymous: checked by FunctionsMetadataTests). No Container Apps built-in authentication: the CLI and scripts call with
      // x-functions-key, and sign-in would need an app registration and secret these templates do not hold (docs/reliability-and-security.md).
      ingress: {
        external: true
        targetPort: functionsPort
        transport: 'auto'
        allowInsecure: false
        // The page sends its key as the x-functions-key header and JSON bodies; no CORS where no origin is named.
        corsPolicy: empty(corsAllowedOrigins) ? null : {
          allowedOrigins: corsAllowedOrigins
          allowedMethods: ['GET', 'POST']
          allowedHeaders: ['content-type', 'x-functions-key']
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
      scale: {
        // Documented for kind functionapp from API 2026-03-02-preview; Bicep 0.49's type library lacks it.
        #disable-next-line BCP037
        allowScalingRuleOverride: true
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: concat(queueRules, [httpRule])
      }
    }
  }
}

output name string = app.name
output uri string = 'https://${app.properties.configuration!.ingress!.fqdn}'
