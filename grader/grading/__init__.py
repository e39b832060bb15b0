"""The grading engine: plan a run (collect, submissions), run each module in a test
runner and a probe worker (runner, worker, probe_worker, report_plugin), and report
(report, cohort, cohort_report, diffing). Only instructors' machines run it."""
