using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace PurchasePredict.LightGbm;

/// <summary>
/// One tree's 64 split decisions for the current row (bit i set: node i sends the row right), from the row's bin
/// tables and the tree's 64 shuffle indices per table and 64 threshold bins. A struct, so
/// <see cref="SplitMaskForest"/> calls it without indirection.
/// </summary>
internal interface ISplitDecisions
{
    ulong Of(ref byte index, ref sbyte thresholds);
}

/// <summary>
/// 16 nodes per shuffle with pshufb (x64 SSSE3) or TBL (Arm64): what a machine without AVX2, and a default native
/// AOT build, runs. Index 0x80 yields 0: the node's feature is not in that table.
/// </summary>
internal readonly ref struct SplitDecisions128(ReadOnlySpan<Vector128<byte>> tables) : ISplitDecisions
{
    private readonly ReadOnlySpan<Vector128<byte>> _tables = tables;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Of(ref byte index, ref sbyte thresholds) =>
        Right(ref index, ref thresholds, 0)
        | ((ulong)Right(ref index, ref thresholds, 16) << 16)
        | ((ulong)Right(ref index, ref thresholds, 32) << 32)
        | ((ulong)Right(ref index, ref thresholds, 48) << 48);

    /// <summary>
    /// Named intrinsics, not <c>Vector128.ShuffleNative</c>: a native AOT build for the default x64 target compiles
    /// that into a software loop, but an <c>IsSupported</c>-guarded SSSE3 call into pshufb with a check at start-up.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Lookup(Vector128<byte> table, Vector128<byte> index) =>
        Ssse3.IsSupported ? Ssse3.Shuffle(table, index) : AdvSimd.Arm64.VectorTableLookup(table, index);

    /// <summary>The bits of nodes <paramref name="first"/> to <paramref name="first"/> + 15: bin above threshold.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Right(ref byte index, ref sbyte thresholds, int first)
    {
        var values = Lookup(_tables[0], Vector128.LoadUnsafe(ref index, (nuint)first));
        for (var k = 1; k < _tables.Length; k++)
        {
            values |= Lookup(_tables[k], Vector128.LoadUnsafe(ref index, (nuint)((k * 64) + first)));
        }

        var right = Vector128.GreaterThan((values ^ Vector128.Create((byte)0x80)).AsSByte(), Vector128.LoadUnsafe(ref thresholds, (nuint)first));
        return right.ExtractMostSignificantBits();
    }
}

/// <summary>32 nodes per shuffle with AVX2: each 16-byte table sits in both 128-bit lanes, as vpshufb shuffles per lane.</summary>
internal readonly ref struct SplitDecisions256(ReadOnlySpan<Vector256<byte>> tables) : ISplitDecisions
{
    private readonly ReadOnlySpan<Vector256<byte>> _tables = tables;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Of(ref byte index, ref sbyte thresholds) =>
        Right(ref index, ref thresholds, 0) | ((ulong)Right(ref index, ref thresholds, 32) << 32);

    /// <summary>The bits of nodes <paramref name="first"/> to <paramref name="first"/> + 31: bin above threshold.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Right(ref byte index, ref sbyte thresholds, int first)
    {
        var values = Avx2.Shuffle(_tables[0], Vector256.LoadUnsafe(ref index, (nuint)first));
        for (var k = 1; k < _tables.Length; k++)
        {
            values |= Avx2.Shuffle(_tables[k], Vector256.LoadUnsafe(ref index, (nuint)((k * 64) + first)));
        }

        var right = Avx2.CompareGreaterThan((values ^ Vector256.Create((byte)0x80)).AsSByte(), Vector256.LoadUnsafe(ref thresholds, (nuint)first));
        return (uint)Avx2.MoveMask(right.AsByte());
    }
}
