namespace Captioner.Chaos;

/// <summary>What the proxy does to a request it picks.</summary>
internal enum FaultKind
{
    /// <summary>503 with the storage error code ServerBusy; the request never reaches storage.</summary>
    ServerBusy,

    /// <summary>500 InternalError; the request never reaches storage.</summary>
    InternalError,

    /// <summary>The connection is reset before the request reaches storage.</summary>
    ResetBeforeStorage,

    /// <summary>The request is carried out, then the connection is reset: the client never learns it succeeded.</summary>
    ResetAfterStorage,

    /// <summary>The request is held past the client's timeout, then carried out (late) all the same.</summary>
    Timeout,
}
