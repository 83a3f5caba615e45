using System.Net.Sockets;
using System.Text;

namespace GrantSim.EndToEnd.Tests.Aws;

/// <summary>What came back for a raw request: the status (0 when the connection ended with no answer) and the body.</summary>
public sealed record RawAnswer(int Status, string Body)
{
    public bool Answered => Status > 0;
}

/// <summary>
/// HTTP/1.1 written by hand onto a socket, for what no HTTP client will send: a Content-Length that
/// lies, a body cut short, bytes that are not text.
/// </summary>
public static class RawHttp
{
    /// <param name="declaredLength">The Content-Length to claim (the body's own length when null).</param>
    /// <param name="closeAfterSending">Half-close the connection after the body, as a client that sent all it will.</param>
    public static async Task<RawAnswer> SendAsync(int port, string method, string path, IReadOnlyDictionary<string, string> headers, byte[] body,
        long? declaredLength = null, bool closeAfterSending = true, TimeSpan? timeout = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(declaredLength ?? body.Length).Append("\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.WriteAsync(body);
        if (closeAfterSending)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }

        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancel.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // Reset by the server: whatever arrived before is the answer.
        }

        var text = Encoding.UTF8.GetString(received.ToArray());
        var status = text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && int.TryParse(text.AsSpan(9, 3), out var code) ? code : 0;
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return new RawAnswer(status, split < 0 ? "" : text[(split + 4)..]);
    }
}
