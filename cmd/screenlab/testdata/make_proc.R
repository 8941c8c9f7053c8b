# Reference for TestEvaluateMatchesPROC: pROC on the aSAH data (pROC's own
# example): the paired DeLong test of s100b against ndka with the 95%
# interval of the AUC difference, and the Youden threshold as pROC reports
# it (the midpoint between scores). Run from cmd/screenlab:
#   Rscript testdata/make_proc.R
suppressMessages(library(pROC))
d <- read.csv("testdata/contract/in/asah.csv")
r1 <- roc(d$outcome, d$s100b, quiet = TRUE, direction = "<")
r2 <- roc(d$outcome, d$ndka, quiet = TRUE, direction = "<")
t <- roc.test(r1, r2, method = "delong", paired = TRUE)
y <- coords(r1, "best", best.method = "youden", ret = c("threshold", "sensitivity", "specificity"))
write.csv(data.frame(auc_diff = unname(t$estimate[1] - t$estimate[2]), auc_diff_lower = t$conf.int[1],
                     auc_diff_upper = t$conf.int[2], z = unname(t$statistic), p = t$p.value,
                     youden_threshold = y$threshold, youden_sensitivity = y$sensitivity,
                     youden_specificity = y$specificity),
          "testdata/proc_asah_R.csv", row.names = FALSE)
