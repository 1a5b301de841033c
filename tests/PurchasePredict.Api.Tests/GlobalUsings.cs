global using NUnit.Framework;
global using PurchasePredict.Api.Tests.Support;
