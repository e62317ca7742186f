using ChatonsFed.LoadTest;

// Tools for the node load test (tests/ChatonsFed.Benchmarks/node-load.sh): a signing actor served on loopback, and
// files of distinct, freshly signed inbox POSTs that wrk replays.
return args switch
{
    ["signer", .. var rest] => await SignerCommand.RunAsync(rest),
    ["requests", .. var rest] => RequestsCommand.Run(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        Usage:
          chatonsfed-loadtest signer --key FILE [--port N]
              Serves the signing actor (RSA key FILE, made when missing) at http://127.0.0.1:PORT/actor and prints
              "READY <actor-url>". Runs until stdin closes; then prints how often the actor was fetched.
          chatonsfed-loadtest requests --key FILE --actor URL --inbox URL --count N --files K --out PREFIX
              Writes N distinct signed Create(Note) POSTs for the inbox URL into PREFIX-0.txt … PREFIX-(K-1).txt,
              raw HTTP/1.1 requests separated by a line "#--", for wrk and signed-posts.lua.
        """);
    return 2;
}
