global using PurchasePredict.GcpSandbox.Hosting;
