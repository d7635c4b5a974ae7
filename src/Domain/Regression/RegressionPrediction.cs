using MathNet.Numerics.LinearAlgebra;

namespace Mixtures.Domain.Regression;

/// <summary>Predictions of a latent class regression for new rows.</summary>
/// <param name="ByClass">m x K: x_i' beta_c, each class's prediction.</param>
/// <param name="Mixture">m: the mixture expectation E[y | x] = sum_c pi_c x_i' beta_c.</param>
/// <param name="Posterior">m x K posterior class probabilities given y (per group when grouped, repeated on
/// every row of the group), or null when y was not given.</param>
public sealed record RegressionPrediction(Matrix<double> ByClass, double[] Mixture, Matrix<double>? Posterior);
