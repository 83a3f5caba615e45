using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace GrantSim.Client.Hosting;

/// <summary>
/// Which exceptions are the cluster failing to answer, or failing inside, as opposed to an answer. A
/// call that ends in one of these may or may not have happened (the request may have reached a silo
/// that died before it answered, or never left the client; a grain's storage may have failed after
/// some of the call's steps were stored): its outcome is unknown.
/// </summary>
public static class ClusterFailures
{
    public static bool IsClusterFailure(Exception error) => error switch
    {
        // Orleans' own: a silo declared dead with the call pending (SiloUnavailableException), a message
        // that could not be sent or forwarded (OrleansMessageRejectionException, ConnectionFailedException),
        // no live gateway, a gateway too busy, a grain's storage refusing a stale write.
        OrleansException => true,
        // No answer within the response timeout (Orleans throws the BCL's TimeoutException).
        TimeoutException => true,
        // The transport under a gateway connection, when it surfaces unwrapped.
        ConnectionAbortedException or ConnectionResetException or SocketException => true,
        // A grain's storage failing under the call (a write that did not land): the steps stored before it stand.
        IOException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsClusterFailure),
        _ => false,
    };
}
