namespace DemoModel;

/// <summary>
/// Deterministic synthetic sessions of an electronics shop (the tutorial's data comes from the REES46
/// eCommerce events dataset): about 10% buyers, with a learnable signal in views, history, duration, price,
/// brand and category. <see cref="Random"/> with a seed is stable across .NET versions.
/// </summary>
internal sealed class SessionGenerator(int seed)
{
    private sealed record Shelf(string Category, string SubCategory, long FirstProductId, double MinPrice, double MaxPrice,
        string[] Brands, double Appeal);

    private static readonly Shelf[] Shelves =
    [
        new("electronics", "smartphone", 1004000, 90, 1500, ["samsung", "apple", "xiaomi", "huawei", "oppo"], 0.6),
        new("electronics", "video", 1801000, 150, 2200, ["samsung", "lg", "sony"], 0.0),
        new("electronics", "audio", 4802000, 15, 350, ["apple", "sony", "jbl", "samsung"], 0.3),
        new("electronics", "clocks", 1005100, 40, 700, ["apple", "samsung", "xiaomi", "garmin"], 0.1),
        new("appliances", "kitchen", 2701000, 60, 1200, ["bosch", "lg", "samsung", "indesit", "beko"], -0.2),
        new("appliances", "environment", 3700000, 30, 600, ["philips", "samsung", "xiaomi", "dyson"], -0.1),
        new("computers", "notebook", 1306000, 250, 2500, ["lenovo", "hp", "asus", "acer", "apple"], -0.3),
        new("computers", "desktop", 1307000, 300, 3000, ["lenovo", "hp", "asus"], -0.5),
        new("computers", "peripherals", 1701000, 5, 200, ["logitech", "hp", "asus", "xiaomi"], 0.2),
    ];

    private static readonly Dictionary<string, double> BrandAppeal = new()
    {
        ["apple"] = 0.5, ["samsung"] = 0.35, ["xiaomi"] = 0.2, ["huawei"] = 0.1, ["sony"] = 0.1, ["lg"] = 0.05,
        ["bosch"] = 0.1, ["lenovo"] = 0.0, ["hp"] = -0.05, ["acer"] = -0.2, ["oppo"] = -0.1, ["beko"] = -0.25,
    };

    private readonly Random _random = new(seed);

    public List<Session> Generate(int count)
    {
        var sessions = new List<Session>(count);
        for (var i = 0; i < count; i++)
        {
            sessions.Add(Next());
        }

        return sessions;
    }

    private Session Next()
    {
        var shelf = Shelves[_random.Next(Shelves.Length)];
        var productId = shelf.FirstProductId + _random.Next(0, 900);
        // About 15% of events in the real data have no brand.
        var brand = _random.NextDouble() < 0.15 ? null : shelf.Brands[_random.Next(shelf.Brands.Length)];
        var price = Math.Round(shelf.MinPrice + ((shelf.MaxPrice - shelf.MinPrice) * Math.Pow(_random.NextDouble(), 2)), 2);
        var viewsProduct = 1 + Geometric(0.45);
        var viewsSession = viewsProduct + Geometric(0.25);
        var previousSessions = Geometric(0.3);
        var previousProductViews = previousSessions == 0 ? 0 : Geometric(0.5);
        var hour = (int)Math.Clamp(Math.Round(14 + (4.5 * Normal())), 0, 23);
        var duration = _random.NextDouble() < 0.03
            ? double.NaN
            : Math.Round(viewsSession * (20 + (60 * _random.NextDouble())) * (0.5 + _random.NextDouble()), 1);

        var logit = -4.6
            + (0.9 * Math.Min(viewsProduct, 6))
            + (0.45 * Math.Log(1 + previousProductViews))
            + (0.15 * Math.Min(previousSessions, 5))
            + (double.IsNaN(duration) ? 0 : 0.35 * Math.Tanh((duration - 250) / 250))
            - (0.35 * Math.Log10(price))
            + (brand is null ? -0.4 : BrandAppeal.GetValueOrDefault(brand))
            + shelf.Appeal
            + (hour is >= 18 and <= 22 ? 0.2 : 0)
            + (0.3 * Normal());
        var purchased = _random.NextDouble() < 1 / (1 + Math.Exp(-logit));

        return new Session(productId, brand, price, viewsSession, viewsProduct, shelf.Category, shelf.SubCategory,
            hour, _random.Next(60), _random.Next(7), duration, previousSessions, previousProductViews, purchased);
    }

    /// <summary>Failures before the first success, each trial succeeding with probability p.</summary>
    private int Geometric(double p)
    {
        var failures = 0;
        while (_random.NextDouble() >= p && failures < 50)
        {
            failures++;
        }

        return failures;
    }

    /// <summary>Standard normal by Box-Muller.</summary>
    private double Normal() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
}
