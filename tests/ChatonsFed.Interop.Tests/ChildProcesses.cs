using System.Collections.Concurrent;
using System.Diagnostics;

namespace ChatonsFed.Interop.Tests;

/// <summary>
/// Servers a test starts as child processes (the Fedify peer, nginx): each is tracked until it is forgotten, and
/// every one still tracked is killed, with its process tree, when the test host exits.
/// </summary>
internal static class ChildProcesses
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    static ChildProcesses()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Running.Values)
            {
                Kill(process);
            }
        };
    }

    public static void Track(Process process) => Running[process.Id] = process;

    public static void Forget(Process process) => Running.TryRemove(process.Id, out _);

    /// <summary>Kills the process and its descendants, if it still runs.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }
}
