// Evaluates, offline, what infra/main.bicep gives each app: `bicep build-params` runs the same
// exported functions and variables of infra/app/settings.bicep with stand-in deployment outputs.
using none

import { appSettings, storageNames, durableTaskQueues } from '../../../infra/app/settings.bicep'

param captioning = appSettings('captioning', 'stcaptionertest', '00000000-0000-0000-0000-00000000c11d', 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/', 'https://ca-train-test.example.invalid')

param training = appSettings('training', 'stcaptionertest', '00000000-0000-0000-0000-00000000c11d', 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/', 'https://ca-train-test.example.invalid')

param storage = storageNames

param trainingScaleQueues = durableTaskQueues
