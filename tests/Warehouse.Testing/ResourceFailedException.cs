namespace Warehouse.Testing;

/// <summary>A resource that did not stop or start, with its last log lines in the message.</summary>
public sealed class ResourceFailedException(string message, Exception inner) : Exception(message, inner);
