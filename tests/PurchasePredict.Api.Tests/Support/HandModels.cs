namespace PurchasePredict.Api.Tests.Support;

/// <summary>
/// Tiny hand-written models over features x and y whose outputs follow from their definition: each tree has one
/// split, x &lt;= 0.5 goes left; <c>trees</c> gives each tree's (left, right) leaf.
/// </summary>
public static class HandModels
{
    public static string Model(string objective, int classCount, params (double Left, double Right)[] trees)
    {
        var text = new System.Text.StringBuilder($"""
            tree
            version=v4
            num_class={classCount}
            num_tree_per_iteration={classCount}
            label_index=0
            max_feature_idx=1
            objective={objective}
            feature_names=x y
            feature_infos=[0:1] [0:1]


            """);
        for (var i = 0; i < trees.Length; i++)
            text.Append($"""
                Tree={i}
                num_leaves=2
                num_cat=0
                split_feature=0
                split_gain=1
                threshold=0.5
                decision_type=2
                left_child=-1
                right_child=-2
                leaf_value={trees[i].Left} {trees[i].Right}
                leaf_weight=1 1
                leaf_count=1 1
                internal_value=0
                internal_weight=2
                internal_count=2
                is_linear=0
                shrinkage=1


                """);
        return text.Append("end of trees\n").ToString();
    }

    public static async Task<ApiServer> Serve(string model, params (string Key, string Value)[] extra)
    {
        var path = Path.Combine(Path.GetTempPath(), $"model-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(path, model);
        try
        {
            var settings = new Dictionary<string, string> { ["MODEL_URI"] = path };
            foreach (var (key, value) in extra) settings[key] = value;
            return await ApiServer.StartAsync(settings);
        }
        finally
        {
            File.Delete(path); // loaded by then
        }
    }

    public static double[] Softmax(params double[] raw)
    {
        var exp = raw.Select(Math.Exp).ToArray();
        return [.. exp.Select(e => e / exp.Sum())];
    }
}
