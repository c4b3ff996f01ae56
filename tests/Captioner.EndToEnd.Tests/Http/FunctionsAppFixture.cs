using Microsoft.DurableTask.Testing;

namespace Captioner.EndToEnd.Tests.Http;

/// <summary>One in-memory Durable back end and one Functions app surface for a test class (each test case would otherwise start its own).</summary>
public sealed class FunctionsAppFixture : IAsyncLifetime
{
    private DurableTaskTestHost? _durable;
    private FunctionsAppSurface? _surface;

    public FunctionsAppSurface Surface(string storageConnectionString) =>
        _surface ??= new FunctionsAppSurface(storageConnectionString, _durable!.Client);

    // A free port: the default random one in 30000-40000 can be a loopback client port already (Linux ephemeral ports start at 32768).
    public async Task InitializeAsync() => _durable = await DurableTaskTestHost.StartAsync(_ => { }, new DurableTaskTestHostOptions { Port = Captioner.TestSupport.AzuriteProcess.FreePort() });

    public async Task DisposeAsync()
    {
        if (_durable is not null)
        {
            await _durable.DisposeAsync();
        }
    }
}
