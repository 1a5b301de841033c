global using NUnit.Framework;
global using PurchasePredict.LightGbm;
global using PurchasePredict.NativeLightGbm;
