using PurchasePredict.Workers;
using PurchasePredict.Workers.TestApp;

return WorkerHost.Run(args, worker => TestApp.Build(worker));
