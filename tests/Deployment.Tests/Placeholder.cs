namespace DaprReservations.Deployment.Tests;
