# Reference values for NewcombeDifference and MedianCI (evaluation/screening).
# Newcombe (1998, Stat Med 17:873) method 10: the hybrid score interval for a
# difference of proportions from the two Wilson intervals (prop.test without
# continuity correction gives Wilson's). His example (a), 56/70 - 48/80,
# is published as 0.0524 to 0.3339 (its difference is 0.2).
wilson <- function(x, n) as.numeric(prop.test(x, n, correct = FALSE)$conf.int)
newcombe <- function(a, n1, b, n2) {
  p1 <- a / n1; p2 <- b / n2; w1 <- wilson(a, n1); w2 <- wilson(b, n2)
  d <- p1 - p2
  c(d, d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2), d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2))
}
options(digits = 15)
print(newcombe(56, 70, 48, 80))
print(newcombe(9, 10, 3, 10))
print(newcombe(0, 10, 0, 20))
# The distribution-free interval of a median: order statistics l and n-l+1,
# l the largest with P(B < l) <= alpha/2 for B ~ Binomial(n, 1/2).
x <- c(19, 42, 19, 22, 35, 8, 61, 27, 30, 14, 25)
n <- length(x); l <- max(which(pbinom(0:n - 1, n, 0.5) <= 0.025)) - 1
print(c(median(x), sort(x)[l], sort(x)[n - l + 1]))
