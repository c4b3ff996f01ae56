using Captioner.Hosting;
using Captioner.Hosting.Training;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddCaptioner(builder.Configuration);
builder.Services.AddCaptionerTraining();
builder.Build().Run();
