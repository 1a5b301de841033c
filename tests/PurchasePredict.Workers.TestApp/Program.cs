using PurchasePredict.Workers;
using PurchasePredict.Workers.TestApp;

return WorkerHost.Run(args, TestApp.Run, TestApp.IsReady, TestApp.Reload);
