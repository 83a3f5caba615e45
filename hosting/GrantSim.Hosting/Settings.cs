using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GrantSim.Hosting;

/// <summary>A setting that makes no sense, or a port someone else holds: said in one line that names the setting.</summary>
public sealed class SettingException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Options bound from configuration and validated before the host starts, the .NET way
/// (<c>AddOptions&lt;T&gt;().BindConfiguration(section).ValidateOnStart()</c>), and also read at once:
/// a silo needs its ports and backend to build its host. Either way a bad value ends start-up with
/// one line naming the setting as an environment variable spells it (<c>GrantSim__Silo__WebPort</c>).
/// </summary>
public static class Settings
{
    /// <summary>A configuration path (<c>GrantSim:Silo:WebPort</c>) as an environment variable names it.</summary>
    public static string VariableName(string path) => path.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>
    /// Registers <typeparamref name="T"/> bound to <paramref name="section"/> and validated at start by
    /// <paramref name="invalid"/> (the first problem, or null), and returns the value as bound now.
    /// </summary>
    public static T AddValidatedSettings<T>(this IServiceCollection services, IConfiguration configuration, string section, Func<T, string?> invalid)
        where T : class, new()
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new ValidateSettings<T>(invalid));
        return Read(configuration, section, invalid);
    }

    /// <summary>Binds <paramref name="section"/> and checks it: a value of the wrong type or one <paramref name="invalid"/> refuses is a <see cref="SettingException"/>.</summary>
    public static T Read<T>(IConfiguration configuration, string section, Func<T, string?>? invalid = null)
        where T : class, new()
    {
        T value;
        try
        {
            value = configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException error) when (ConversionFailure(error, configuration) is { } line)
        {
            throw new SettingException(line, error);
        }

        if (invalid?.Invoke(value) is { } problem)
        {
            throw new SettingException(problem);
        }

        return value;
    }

    /// <summary>
    /// The binder says "Failed to convert configuration value at 'GrantSim:Silo:WebPort' to type
    /// 'System.Int32'."; this names the variable and the value it holds.
    /// </summary>
    private static string? ConversionFailure(InvalidOperationException error, IConfiguration configuration)
    {
        const string marker = " at '";
        var message = error.Message;
        var start = message.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += marker.Length;
        var end = message.IndexOf('\'', start);
        if (end < 0)
        {
            return null;
        }

        var path = message[start..end];
        var typeStart = message.IndexOf("type '", end, StringComparison.Ordinal);
        var type = typeStart < 0 ? "its type" : message[(typeStart + "type '".Length)..].TrimEnd('.', '\'').Replace("System.", "", StringComparison.Ordinal);
        var article = type.Length > 0 && "AEIOU".Contains(type[0], StringComparison.Ordinal) ? "an" : "a";
        return $"{VariableName(path)} is '{configuration[path]}', which is not {article} {type}.";
    }

    /// <summary>
    /// The line for a start-up that failed because a port was taken, naming the setting that chose it;
    /// null when <paramref name="error"/> is not that.
    /// </summary>
    public static string? PortInUse(Exception error, IReadOnlyDictionary<string, int> portSettings)
    {
        for (var e = error; e is not null; e = e.InnerException ?? (e as AggregateException)?.InnerExceptions.FirstOrDefault())
        {
            var inUse = e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
                || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase);
            if (!inUse)
            {
                continue;
            }

            // The outermost message that names the address (Kestrel's "Failed to bind to address http://0.0.0.0:8080").
            var text = string.Join(" ", Chain(error).Select(x => x.Message));
            var named = portSettings.Where(setting => setting.Value > 0 && text.Contains($":{setting.Value}", StringComparison.Ordinal)).ToList();
            return named.Count == 1
                ? $"port {named[0].Value} is already in use; choose another with {named[0].Key}."
                : $"a port is already in use ({e.Message.TrimEnd('.')}); the ports come from {string.Join(", ", portSettings.Select(p => $"{p.Key}={p.Value}"))}.";
        }

        return null;
    }

    /// <summary>The one line a failed start prints, or null when the failure is not about a setting (then the stack trace helps more).</summary>
    public static string? Explain(Exception error, IReadOnlyDictionary<string, int> portSettings) =>
        Chain(error).OfType<SettingException>().FirstOrDefault()?.Message
        ?? Chain(error).OfType<OptionsValidationException>().FirstOrDefault()?.Failures.FirstOrDefault()
        ?? PortInUse(error, portSettings);

    /// <summary>
    /// Before the host starts: a port another process holds is refused now, naming its setting. Orleans, unlike
    /// Kestrel, says only "Address already in use" when it cannot listen, and by then the host's own listeners
    /// are up too, so asking afterwards which port was taken has no clear answer.
    /// </summary>
    public static void RequirePortsFree(IReadOnlyDictionary<string, int> portSettings)
    {
        foreach (var (setting, port) in portSettings)
        {
            if (port > 0 && Taken(port))
            {
                throw new SettingException($"port {port} is already in use; choose another with {setting}.");
            }
        }
    }

    private static bool Taken(int port)
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, port);
        try
        {
            listener.Start();
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException ?? (e as AggregateException)?.InnerExceptions.FirstOrDefault())
        {
            yield return e;
        }
    }

    private sealed class ValidateSettings<T>(Func<T, string?> invalid) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            invalid(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
