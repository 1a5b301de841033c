using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace PurchasePredict.LightGbm;

/// <summary>What to do with each tree's exit leaf, in tree order: a struct, so the walk calls it without indirection.</summary>
internal interface ILeafSink
{
    void Add(int tree, int leaf);
}

/// <summary>
/// The fast evaluator, for forests whose trees have at most 64 leaves. Per row, first every split of a tree is
/// decided at once into a 64-bit mask (bit i set: node i sends the row right), then the tree is walked reading
/// only that mask, eight trees side by side.
/// <para>
/// Deciding: each numerical feature's value becomes its bin (<see cref="ThresholdBins"/>), a byte; the bins of up
/// to 16 features form one 16-byte table, and a byte shuffle (pshufb, AdvSimd TBL) fetches each node's bin from
/// it, 16 or 32 nodes per instruction; one signed byte comparison against the nodes' threshold bins and a
/// movemask give their bits. Values that do not compare (NaN, "zero" within ±kZeroThreshold, and every
/// categorical value) instead replace the bits of that feature's nodes, per tree, by precomputed ones:
/// <c>mask = (mask &amp; keep) | right</c>.
/// </para>
/// <para>
/// Walking: splits are numbered breadth-first, so mask bits 0 to 6 are the top three levels and one lookup in a
/// 128-entry table skips them; then <c>node = children[2 * node + bit(mask, node)]</c> until the node is a leaf
/// (<c>~leaf</c>, negative). Eight independent walks hide each other's memory latency; a leaf points back to
/// itself, so a walk that is done early stays put until the slowest of its eight ends.
/// </para>
/// Built by <see cref="SplitMaskForestBuilder"/>; immutable and thread-safe; allocates nothing.
/// </summary>
internal sealed class SplitMaskForest
{
    public const int MaxLeaves = 64;

    /// <summary>Bytes of one tree's child table: 128 for the leaves' self-loops, then 128 for the splits.</summary>
    public const int ChildStride = 256;

    /// <summary>Entries of one tree's <see cref="_top"/> table: one per value of mask bits 0 to 6.</summary>
    public const int TopEntries = 128;

    /// <summary>Trees decided, then walked, per round: their masks stay in the L1 cache.</summary>
    private const int ChunkTrees = 64;

    private readonly ThresholdBins[] _slots;
    private readonly int _tables;
    private readonly byte[] _shuffleIndex;
    private readonly sbyte[] _thresholdBins;
    private readonly ulong[] _numericKeep;
    private readonly ulong[] _nanRight;
    private readonly ulong[] _zeroRight;
    private readonly CategoryMasks[] _categories;
    private readonly sbyte[] _children;
    private readonly sbyte[] _top;
    private readonly int[] _leafStart;
    private readonly int _treeCount;
    private readonly bool _wide;

    /// <param name="slots">The numerical features, 16 per shuffle table.</param>
    /// <param name="shuffleIndex">Per tree and table, 64 bytes: node i's feature within the table, or 0x80 (none).</param>
    /// <param name="thresholdBins">Per tree, 64 bytes: node i's threshold index XOR 0x80 (a signed byte), or 127.</param>
    /// <param name="numericKeep">Per slot and tree: the bits of nodes that do not split on the slot's feature.</param>
    /// <param name="nanRight">Per slot and tree: the nodes on the feature that send NaN right.</param>
    /// <param name="zeroRight">Per slot and tree: the nodes on the feature that send "zero" right.</param>
    /// <param name="children">Per tree, <see cref="ChildStride"/> bytes; node n's children at 128 + 2n and 128 + 2n + 1.</param>
    /// <param name="top">Per tree, <see cref="TopEntries"/> bytes: where mask bits 0 to 6 lead in three levels.</param>
    /// <param name="leafStart">Per tree, the global index of its leaf 0.</param>
    /// <param name="wide">Decide 32 nodes per shuffle when the machine has AVX2, else 16.</param>
    public SplitMaskForest(ThresholdBins[] slots, int tables, byte[] shuffleIndex, sbyte[] thresholdBins,
        ulong[] numericKeep, ulong[] nanRight, ulong[] zeroRight, CategoryMasks[] categories, sbyte[] children, sbyte[] top, int[] leafStart,
        bool wide)
    {
        _slots = slots;
        _tables = tables;
        _shuffleIndex = shuffleIndex;
        _thresholdBins = thresholdBins;
        _numericKeep = numericKeep;
        _nanRight = nanRight;
        _zeroRight = zeroRight;
        _categories = categories;
        _children = children;
        _top = top;
        _leafStart = leafStart;
        _treeCount = leafStart.Length;
        _wide = wide && Avx2.IsSupported;
    }

    /// <summary>Whether this machine has the byte shuffle the decisions need (x64 SSSE3, Arm64 AdvSimd).</summary>
    public static bool IsSupported => Ssse3.IsSupported || AdvSimd.Arm64.IsSupported;

    /// <summary>Passes the exit leaf (global index) of each of the first <paramref name="trees"/> trees to <paramref name="sink"/>, in order.</summary>
    /// <remarks>
    /// Indexing skips bounds checks: the builder sized every table, and the caller checked the row's length.
    /// The stack buffers are not zeroed: every mask is written before it is read, and the shuffle indices only
    /// reach the bins written here.
    /// </remarks>
    [SkipLocalsInit]
    public void FindLeaves<TSink>(ReadOnlySpan<double> row, int trees, ref TSink sink)
        where TSink : ILeafSink, allows ref struct
    {
        Span<byte> bins = stackalloc byte[_tables * 16];
        for (var slot = 0; slot < _slots.Length; slot++)
        {
            // NaN lands in bin 0 and "zero" in its bin; both are replaced by Override.
            bins[slot] = (byte)_slots[slot].Bin(row[_slots[slot].Feature]);
        }

        if (_wide)
        {
            Span<Vector256<byte>> tables = stackalloc Vector256<byte>[_tables];
            for (var k = 0; k < _tables; k++)
            {
                var table = Vector128.Create(bins.Slice(k * 16, 16));
                tables[k] = Vector256.Create(table, table);
            }

            var decisions = new SplitDecisions256(tables);
            FindLeaves(row, trees, decisions, ref sink);
        }
        else
        {
            Span<Vector128<byte>> tables = stackalloc Vector128<byte>[_tables];
            for (var k = 0; k < _tables; k++)
            {
                tables[k] = Vector128.Create(bins.Slice(k * 16, 16));
            }

            var decisions = new SplitDecisions128(tables);
            FindLeaves(row, trees, decisions, ref sink);
        }
    }

    /// <summary>Decides, overrides and walks the trees 64 at a time, so their masks stay in the L1 cache.</summary>
    [SkipLocalsInit]
    private void FindLeaves<TDecisions, TSink>(ReadOnlySpan<double> row, int trees, scoped TDecisions decisions, ref TSink sink)
        where TDecisions : ISplitDecisions, allows ref struct
        where TSink : ILeafSink, allows ref struct
    {
        Span<ulong> masks = stackalloc ulong[ChunkTrees];
        for (var start = 0; start < trees; start += ChunkTrees)
        {
            var chunk = masks[..Math.Min(ChunkTrees, trees - start)];
            Decide(decisions, start, chunk);
            Override(row, start, chunk);
            Walk(start, chunk, ref sink);
        }
    }

    /// <summary>Decides trees <paramref name="start"/>.. into <paramref name="masks"/>.</summary>
    private void Decide<TDecisions>(scoped TDecisions decisions, int start, scoped Span<ulong> masks)
        where TDecisions : ISplitDecisions, allows ref struct
    {
        ref var indexBase = ref MemoryMarshal.GetArrayDataReference(_shuffleIndex);
        ref var thresholdBase = ref MemoryMarshal.GetArrayDataReference(_thresholdBins);
        for (var t = 0; t < masks.Length; t++)
        {
            var tree = start + t;
            masks[t] = decisions.Of(ref Unsafe.Add(ref indexBase, tree * _tables * 64), ref Unsafe.Add(ref thresholdBase, tree * 64));
        }
    }

    /// <summary>NaN, "zero" and categorical values: their features' nodes go the precomputed way.</summary>
    private void Override(ReadOnlySpan<double> row, int start, Span<ulong> masks)
    {
        for (var slot = 0; slot < _slots.Length; slot++)
        {
            var value = row[_slots[slot].Feature];
            var trees = (slot * _treeCount) + start;
            if (double.IsNaN(value))
            {
                Replace(masks, _numericKeep.AsSpan(trees), _nanRight.AsSpan(trees));
            }
            else if (value >= -Forest.ZeroThreshold && value <= Forest.ZeroThreshold)
            {
                Replace(masks, _numericKeep.AsSpan(trees), _zeroRight.AsSpan(trees));
            }
        }

        foreach (var category in _categories)
        {
            Replace(masks, category.Keep.AsSpan(start), category.Right.AsSpan(category.RightStart(row[category.Feature], start, _treeCount)));
        }
    }

    private static void Replace(Span<ulong> masks, ReadOnlySpan<ulong> keep, ReadOnlySpan<ulong> right)
    {
        ref var mask = ref MemoryMarshal.GetReference(masks);
        ref var kept = ref MemoryMarshal.GetReference(keep);
        ref var set = ref MemoryMarshal.GetReference(right);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 4 <= masks.Length; i += 4)
            {
                var at = (nuint)i;
                ((Vector256.LoadUnsafe(ref mask, at) & Vector256.LoadUnsafe(ref kept, at)) | Vector256.LoadUnsafe(ref set, at)).StoreUnsafe(ref mask, at);
            }
        }

        for (; i + 2 <= masks.Length; i += 2)
        {
            var at = (nuint)i;
            ((Vector128.LoadUnsafe(ref mask, at) & Vector128.LoadUnsafe(ref kept, at)) | Vector128.LoadUnsafe(ref set, at)).StoreUnsafe(ref mask, at);
        }

        for (; i < masks.Length; i++)
        {
            Unsafe.Add(ref mask, i) = (Unsafe.Add(ref mask, i) & Unsafe.Add(ref kept, i)) | Unsafe.Add(ref set, i);
        }
    }

    /// <summary>Walks trees <paramref name="start"/>.. with their masks, eight at a time, and passes on their leaves.</summary>
    private void Walk<TSink>(int start, scoped ReadOnlySpan<ulong> masks, ref TSink sink)
        where TSink : ILeafSink, allows ref struct
    {
        ref var children = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_children), (start * ChildStride) + 128);
        ref var top = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_top), start * TopEntries);
        ref var leafStart = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_leafStart), start);
        ref var mask = ref MemoryMarshal.GetReference(masks);
        var t = 0;
        for (; t + 8 <= masks.Length; t += 8)
        {
            ref var c = ref Unsafe.Add(ref children, t * ChildStride);
            ref var m = ref Unsafe.Add(ref mask, t);
            ref var s = ref Unsafe.Add(ref top, t * TopEntries);
            nint n0 = Top(ref s, 0, m), n1 = Top(ref s, 1, Unsafe.Add(ref m, 1)), n2 = Top(ref s, 2, Unsafe.Add(ref m, 2)),
                n3 = Top(ref s, 3, Unsafe.Add(ref m, 3)), n4 = Top(ref s, 4, Unsafe.Add(ref m, 4)), n5 = Top(ref s, 5, Unsafe.Add(ref m, 5)),
                n6 = Top(ref s, 6, Unsafe.Add(ref m, 6)), n7 = Top(ref s, 7, Unsafe.Add(ref m, 7));
            do
            {
                n0 = Step(ref c, 0, m, n0);
                n1 = Step(ref c, 1, Unsafe.Add(ref m, 1), n1);
                n2 = Step(ref c, 2, Unsafe.Add(ref m, 2), n2);
                n3 = Step(ref c, 3, Unsafe.Add(ref m, 3), n3);
                n4 = Step(ref c, 4, Unsafe.Add(ref m, 4), n4);
                n5 = Step(ref c, 5, Unsafe.Add(ref m, 5), n5);
                n6 = Step(ref c, 6, Unsafe.Add(ref m, 6), n6);
                n7 = Step(ref c, 7, Unsafe.Add(ref m, 7), n7);
            }
            while ((n0 & n1 & n2 & n3 & n4 & n5 & n6 & n7) >= 0);

            ref var leaf = ref Unsafe.Add(ref leafStart, t);
            sink.Add(start + t, leaf + ~(int)n0);
            sink.Add(start + t + 1, Unsafe.Add(ref leaf, 1) + ~(int)n1);
            sink.Add(start + t + 2, Unsafe.Add(ref leaf, 2) + ~(int)n2);
            sink.Add(start + t + 3, Unsafe.Add(ref leaf, 3) + ~(int)n3);
            sink.Add(start + t + 4, Unsafe.Add(ref leaf, 4) + ~(int)n4);
            sink.Add(start + t + 5, Unsafe.Add(ref leaf, 5) + ~(int)n5);
            sink.Add(start + t + 6, Unsafe.Add(ref leaf, 6) + ~(int)n6);
            sink.Add(start + t + 7, Unsafe.Add(ref leaf, 7) + ~(int)n7);
        }

        for (; t < masks.Length; t++)
        {
            ref var c = ref Unsafe.Add(ref children, t * ChildStride);
            var n = Top(ref Unsafe.Add(ref top, t * TopEntries), 0, Unsafe.Add(ref mask, t));
            while (n >= 0)
            {
                n = Step(ref c, 0, Unsafe.Add(ref mask, t), n);
            }

            sink.Add(start + t, Unsafe.Add(ref leafStart, t) + ~(int)n);
        }
    }

    /// <summary>The first three levels of lane <paramref name="lane"/>'s walk.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint Top(ref sbyte top, int lane, ulong mask) => Unsafe.Add(ref top, (lane * TopEntries) + (int)(mask & (TopEntries - 1)));

    /// <summary>One level of one walk: lane <paramref name="lane"/>'s tree table is <paramref name="lane"/> strides on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint Step(ref sbyte children, int lane, ulong mask, nint node) =>
        Unsafe.Add(ref children, (lane * ChildStride) + (2 * node) + (nint)((mask >> (int)node) & 1));
}
