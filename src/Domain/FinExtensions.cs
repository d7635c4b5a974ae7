using LanguageExt;
using LanguageExt.Common;

namespace Mixtures.Domain;

/// <summary>Small bridges from <see cref="Fin{A}"/> to imperative control flow (in the root namespace, so <c>using Mixtures.Domain;</c>
/// brings them with the facades).</summary>
public static class FinExtensions
{
    /// <summary>True with the value on success; false with the error on failure.</summary>
    public static bool TryGet<A>(this Fin<A> fin, out A value, out Error error)
    {
        A v = default!;
        Error e = default!;
        var ok = fin.Match(Succ: a => { v = a; return true; }, Fail: err => { e = err; return false; });
        value = v;
        error = e;
        return ok;
    }

    /// <summary>The value of a successful <see cref="Fin{A}"/>; throws (a bug) on failure.</summary>
    public static A Value<A>(this Fin<A> fin) =>
        fin.Match(Succ: a => a, Fail: e => throw new InvalidOperationException($"expected success: {e.Message}"));
}
