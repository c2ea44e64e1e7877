using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace GopiAI.Toolkit.AspNetCore.Tests.TestSupport;

internal static class NetworkAddresses
{
    /// <summary>An IPv4 address of this machine that is not loopback (a connection to it has a non-loopback remote address), if any.</summary>
    public static IPAddress? NonLoopbackIPv4() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
