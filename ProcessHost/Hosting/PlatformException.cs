namespace Warehouse.ProcessHost.Hosting;

/// <summary>A startup or shutdown failure with a message meant for the person running the platform.</summary>
public class PlatformException(string message, Exception? inner = null) : Exception(message, inner);
