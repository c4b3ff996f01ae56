// Evaluates, offline, what infra/main.bicep gives each app: `bicep build-params` runs the same
// exported functions and variables of infra/app/settings.bicep with stand-in deployment outputs.
using none

import { writesOnlyUnder } from '../../../infra/core/security/blob-conditions.bicep'
import { appSettings, storageNames, durableTaskQueues, dataAccess, dataRoles, hostIds, hostContainers } from '../../../infra/app/settings.bicep'

param captioning = appSettings('captioning', 'stcaptionertest', '00000000-0000-0000-0000-00000000c11d', 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/', 'https://ca-train-test.example.invalid', 'https://ca-caption-test.example.invalid', true)

param training = appSettings('training', 'stcaptionertest', '00000000-0000-0000-0000-00000000c11d', 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/', 'https://ca-train-test.example.invalid', 'https://ca-train-test.example.invalid', false)

param trainingOnGpu = appSettings('training', 'stcaptionertest', '00000000-0000-0000-0000-00000000c11d', 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/', 'https://ca-train-test.example.invalid', 'https://ca-train-test.example.invalid', true)

param storage = storageNames

param trainingScaleQueues = durableTaskQueues

param access = dataAccess

param roles = dataRoles

param hosts = hostIds

param hostStorage = hostContainers

param currentModelCondition = writesOnlyUnder('current.json')
