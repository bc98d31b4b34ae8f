#!/usr/bin/env python3
"""SpiffWorkflow's side of the store bench's line (e): 3-step cases with durable state.

A BPMN process of three user tasks (file, register, forward) runs in SpiffWorkflow, and every
step is made durable as a workflow engine built on it would: the case's workflow is read from
SQLite (WAL, synchronous=FULL, as the store bench's raw baseline), the ready task is run, the
engine advances, the workflow is serialized back and the transaction commits. A step is
acknowledged only after its commit, as a qualcert command is.

`tasks` threads each take cases to their end; each thread has its own connection, and
SQLite's one write lock serializes their commits (SpiffWorkflow has no group commit of its own).

Run: python3 -m venv /tmp/spiff && /tmp/spiff/bin/pip install SpiffWorkflow==3.2.0
     /tmp/spiff/bin/python crates/store/benches/spiff_peer.py [seconds] [tasks]
Prints steps per second; compare with the `(e)` line of `cargo bench -p store --bench store`.
"""

import os
import sqlite3
import sys
import tempfile
import threading
import time

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.util.task import TaskState

PROCESS = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    id="qualcert-peer" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="certificate" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="file"/>
    <bpmn:userTask id="file" name="File the application"/>
    <bpmn:sequenceFlow id="f1" sourceRef="file" targetRef="register"/>
    <bpmn:userTask id="register" name="Register at the akimat"/>
    <bpmn:sequenceFlow id="f2" sourceRef="register" targetRef="forward"/>
    <bpmn:userTask id="forward" name="Forward to the Commission"/>
    <bpmn:sequenceFlow id="f3" sourceRef="forward" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>
"""


def spec():
    parser = BpmnParser()
    parser.add_bpmn_str(PROCESS, filename="certificate.bpmn")
    return parser.get_spec("certificate")


def connect(path):
    db = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    return db


def step(db, serializer, case_id):
    """One durable step: read the case, run its ready task, write it back, commit.
    Returns whether the case has ended."""
    db.execute("BEGIN IMMEDIATE")
    (state,) = db.execute("SELECT state FROM cases WHERE id = ?", (case_id,)).fetchone()
    workflow = serializer.deserialize_json(state)
    ready = workflow.get_tasks(state=TaskState.READY, manual=True)
    ready[0].run()
    workflow.do_engine_steps()
    db.execute("UPDATE cases SET state = ? WHERE id = ?", (serializer.serialize_json(workflow), case_id))
    db.execute("COMMIT")
    return workflow.is_completed()


def worker(path, process, deadline, counts, index):
    db = connect(path)
    serializer = BpmnWorkflowSerializer()
    steps = 0
    case = 0
    while time.monotonic() < deadline:
        # The first step files the case: the workflow starts, its first task runs, and the
        # case is inserted, in one transaction.
        case_id = f"{index}-{case}"
        workflow = BpmnWorkflow(process)
        workflow.do_engine_steps()
        workflow.get_tasks(state=TaskState.READY, manual=True)[0].run()
        workflow.do_engine_steps()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO cases (id, state) VALUES (?, ?)", (case_id, serializer.serialize_json(workflow)))
        db.execute("COMMIT")
        steps += 1
        while not step(db, serializer, case_id):
            steps += 1
        steps += 1
        case += 1
    counts[index] = steps


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    tasks = int(sys.argv[2]) if len(sys.argv) > 2 else 64
    process = spec()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "spiff.db")
        db = connect(path)
        db.execute("CREATE TABLE cases (id TEXT PRIMARY KEY, state TEXT NOT NULL)")
        counts = [0] * tasks
        start = time.monotonic()
        deadline = start + seconds
        threads = [threading.Thread(target=worker, args=(path, process, deadline, counts, i)) for i in range(tasks)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - start
        total = sum(counts)
        print(f"SpiffWorkflow 3-step cases, {tasks} tasks: {total / elapsed:.0f} steps per second")


if __name__ == "__main__":
    main()
