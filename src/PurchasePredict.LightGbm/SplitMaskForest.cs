using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
/// Walking: <c>node = children[2 * node + bit(mask, node)]</c> until the node is a leaf (<c>~leaf</c>, negative).
/// Eight independent walks hide each other's memory latency; a leaf points back to itself, so a walk that is done
/// early stays put until the slowest of its eight ends.
/// </para>
/// Built by <see cref="SplitMaskForestBuilder"/>; immutable and thread-safe; allocates nothing.
/// </summary>
internal sealed class SplitMaskForest
{
    public const int MaxLeaves = 64;

    /// <summary>Bytes of one tree's child table: 128 for the leaves' self-loops, then 128 for the splits.</summary>
    public const int ChildStride = 256;

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
    /// <param name="leafStart">Per tree, the global index of its leaf 0.</param>
    /// <param name="wide">Decide 32 nodes per shuffle when the machine has AVX2, else 16.</param>
    public SplitMaskForest(ThresholdBins[] slots, int tables, byte[] shuffleIndex, sbyte[] thresholdBins,
        ulong[] numericKeep, ulong[] nanRight, ulong[] zeroRight, CategoryMasks[] categories, sbyte[] children, int[] leafStart,
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
        _leafStart = leafStart;
        _treeCount = leafStart.Length;
        _wide = wide && Avx2.IsSupported;
    }

    /// <summary>Whether this machine has the byte shuffle the decisions need (x64 SSSE3, Arm64 AdvSimd).</summary>
    public static bool IsSupported => Ssse3.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported;

    /// <summary>Passes the exit leaf (global index) of each of the first <paramref name="trees"/> trees to <paramref name="sink"/>, in order.</summary>
    /// <remarks>Indexing skips bounds checks: the builder sized every table, and the caller checked the row's length.</remarks>
    public void FindLeaves<TSink>(ReadOnlySpan<double> row, int trees, ref TSink sink)
        where TSink : ILeafSink, allows ref struct
    {
        Span<byte> bins = stackalloc byte[_tables * 16];
        for (var slot = 0; slot < _slots.Length; slot++)
        {
            // NaN lands in bin 0 and "zero" in its bin; both are replaced by Override.
            bins[slot] = (byte)_slots[slot].Bin(row[_slots[slot].Feature]);
        }

        Span<ulong> masks = stackalloc ulong[ChunkTrees];
        for (var start = 0; start < trees; start += ChunkTrees)
        {
            var chunk = masks[..Math.Min(ChunkTrees, trees - start)];
            if (_wide)
            {
                Decide256(bins, start, chunk);
            }
            else
            {
                Decide128(bins, start, chunk);
            }

            Override(row, start, chunk);
            Walk(start, chunk, ref sink);
        }
    }

    /// <summary>32 nodes per shuffle: the 16-byte table sits in both 128-bit lanes, as vpshufb shuffles per lane.</summary>
    private void Decide256(ReadOnlySpan<byte> bins, int start, Span<ulong> masks)
    {
        Span<Vector256<byte>> tables = stackalloc Vector256<byte>[_tables];
        for (var k = 0; k < _tables; k++)
        {
            var table = Vector128.Create(bins.Slice(k * 16, 16));
            tables[k] = Vector256.Create(table, table);
        }

        var bias = Vector256.Create((byte)0x80);
        ref var indexBase = ref MemoryMarshal.GetArrayDataReference(_shuffleIndex);
        ref var thresholdBase = ref MemoryMarshal.GetArrayDataReference(_thresholdBins);
        for (var t = 0; t < masks.Length; t++)
        {
            var tree = start + t;
            ref var index = ref Unsafe.Add(ref indexBase, tree * _tables * 64);
            var low = Avx2.Shuffle(tables[0], Vector256.LoadUnsafe(ref index));
            var high = Avx2.Shuffle(tables[0], Vector256.LoadUnsafe(ref index, 32));
            for (var k = 1; k < _tables; k++)
            {
                low |= Avx2.Shuffle(tables[k], Vector256.LoadUnsafe(ref index, (nuint)(k * 64)));
                high |= Avx2.Shuffle(tables[k], Vector256.LoadUnsafe(ref index, (nuint)(k * 64) + 32));
            }

            ref var thresholds = ref Unsafe.Add(ref thresholdBase, tree * 64);
            var lowRight = Avx2.CompareGreaterThan((low ^ bias).AsSByte(), Vector256.LoadUnsafe(ref thresholds));
            var highRight = Avx2.CompareGreaterThan((high ^ bias).AsSByte(), Vector256.LoadUnsafe(ref thresholds, 32));
            masks[t] = (uint)Avx2.MoveMask(lowRight.AsByte()) | ((ulong)(uint)Avx2.MoveMask(highRight.AsByte()) << 32);
        }
    }

    private void Decide128(ReadOnlySpan<byte> bins, int start, Span<ulong> masks)
    {
        Span<Vector128<byte>> tables = stackalloc Vector128<byte>[_tables];
        for (var k = 0; k < _tables; k++)
        {
            tables[k] = Vector128.Create(bins.Slice(k * 16, 16));
        }

        var bias = Vector128.Create((byte)0x80);
        ref var indexBase = ref MemoryMarshal.GetArrayDataReference(_shuffleIndex);
        ref var thresholdBase = ref MemoryMarshal.GetArrayDataReference(_thresholdBins);
        for (var t = 0; t < masks.Length; t++)
        {
            var tree = start + t;
            ref var index = ref Unsafe.Add(ref indexBase, tree * _tables * 64);
            ref var thresholds = ref Unsafe.Add(ref thresholdBase, tree * 64);
            ulong bits = 0;
            for (var quarter = 0; quarter < 64; quarter += 16)
            {
                var values = Vector128.ShuffleNative(tables[0], Vector128.LoadUnsafe(ref index, (nuint)quarter));
                for (var k = 1; k < _tables; k++)
                {
                    values |= Vector128.ShuffleNative(tables[k], Vector128.LoadUnsafe(ref index, (nuint)((k * 64) + quarter)));
                }

                var right = Vector128.GreaterThan((values ^ bias).AsSByte(), Vector128.LoadUnsafe(ref thresholds, (nuint)quarter));
                bits |= (ulong)right.ExtractMostSignificantBits() << quarter;
            }

            masks[t] = bits;
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
        var i = 0;
        for (; i + Vector128<ulong>.Count <= masks.Length; i += Vector128<ulong>.Count)
        {
            var mask = Vector128.Create<ulong>(masks.Slice(i, Vector128<ulong>.Count));
            ((mask & Vector128.Create(keep.Slice(i, Vector128<ulong>.Count))) | Vector128.Create(right.Slice(i, Vector128<ulong>.Count)))
                .CopyTo(masks.Slice(i, Vector128<ulong>.Count));
        }

        for (; i < masks.Length; i++)
        {
            masks[i] = (masks[i] & keep[i]) | right[i];
        }
    }

    /// <summary>Walks trees <paramref name="start"/>.. with their masks, eight at a time, and passes on their leaves.</summary>
    private void Walk<TSink>(int start, scoped ReadOnlySpan<ulong> masks, ref TSink sink)
        where TSink : ILeafSink, allows ref struct
    {
        ref var children = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_children), (start * ChildStride) + 128);
        ref var leafStart = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_leafStart), start);
        ref var mask = ref MemoryMarshal.GetReference(masks);
        var t = 0;
        for (; t + 8 <= masks.Length; t += 8)
        {
            ref var c = ref Unsafe.Add(ref children, t * ChildStride);
            ref var m = ref Unsafe.Add(ref mask, t);
            nint n0 = 0, n1 = 0, n2 = 0, n3 = 0, n4 = 0, n5 = 0, n6 = 0, n7 = 0;
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
            nint n = 0;
            while (n >= 0)
            {
                n = Step(ref c, 0, Unsafe.Add(ref mask, t), n);
            }

            sink.Add(start + t, Unsafe.Add(ref leafStart, t) + ~(int)n);
        }
    }

    /// <summary>One level of one walk: lane <paramref name="lane"/>'s tree table is <paramref name="lane"/> strides on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint Step(ref sbyte children, int lane, ulong mask, nint node) =>
        Unsafe.Add(ref children, (lane * ChildStride) + (2 * node) + (nint)((mask >> (int)node) & 1));
}
