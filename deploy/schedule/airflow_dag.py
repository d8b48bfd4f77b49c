"""readout: nightly scheduled retraining from Airflow (deploy/README.md, "Scheduled retraining").

One task, `retrain`: deploy/bin/readout-submit ... retrain --config ... --registry ..., on a worker that can
submit to the cluster (a checkout with the uber-jar built, Java 17; SPARK_HOME for YARN or Kubernetes).
Copy this file into the DAGs folder (Airflow 2.6 or later) and replace the four settings below.

- max_active_runs=1 and catchup=False: one retraining at a time, and no backlog of missed nights.
- readout retrain's exit codes: 0 decided (promoted or refused, the reason in the log and in the registry's
  history.json); 3 the registry stayed locked for --lock-timeout (another writer is deciding): retried after
  retry_delay; 1 any other failure: retried (a rerun resumes the pipeline where it stopped: finished stages
  are skipped, a training run continues from its last checkpoint); 2 bad input (config, data): failed and
  named in the log; BashOperator cannot tell it from the others, so it is retried too, and fails the same way
  (bad config keys are refused before any stage runs).
"""
from datetime import timedelta

import pendulum
from airflow import DAG

try:  # Airflow 3
    from airflow.providers.standard.operators.bash import BashOperator
except ImportError:  # Airflow 2
    from airflow.operators.bash import BashOperator

READOUT_HOME = "/opt/readout"  # the checkout: deploy/bin/readout-submit, deploy/target/readout.jar
MASTER = "spark://spark-master.example:7077"  # or yarn, k8s://https://host:6443 (with --deploy-mode cluster)
CONFIG = "hdfs:///readout/pipeline.json"  # the pipeline config; its "out" on a shared file system too
REGISTRY = "hdfs:///readout/registry"  # the model registry: versions/, current, history.json

RETRAIN = f"""
deploy/bin/readout-submit --master {MASTER} --executor-memory 4g --native-memory 4g \\
    retrain --config {CONFIG} --registry {REGISTRY} --tolerance 0.01 --lock-timeout 10m
rc=$?
case $rc in
  0) ;;
  3) echo "readout retrain: the registry stayed locked (exit 3): retried" >&2 ;;
  2) echo "readout retrain: bad input (exit 2): fix what the line above names" >&2 ;;
  *) echo "readout retrain: failed (exit $rc): retried; the pipeline resumes where it stopped" >&2 ;;
esac
exit $rc
"""

with DAG(
    dag_id="readout_retrain",
    description="readout retrain: the pipeline on the current data, then a promotion decision",
    schedule="30 2 * * *",  # nightly at 02:30
    start_date=pendulum.datetime(2025, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args={
        "retries": 3,
        "retry_delay": timedelta(minutes=15),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(hours=1),
        "execution_timeout": timedelta(hours=6),
    },
    tags=["readout"],
) as dag:
    BashOperator(
        task_id="retrain",
        bash_command=RETRAIN,
        cwd=READOUT_HOME,
        skip_on_exit_code=None,  # no exit code means "skipped": 0 is the only success
    )
