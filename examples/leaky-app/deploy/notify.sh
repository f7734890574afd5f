#!/bin/sh
# Planted: a DingTalk robot webhook with its access token, and a database URL with a password.
curl -s -H 'Content-Type: application/json' \
  -d '{"msgtype": "text", "text": {"content": "deploy done"}}' \
  "https://oapi.dingtalk.com/robot/send?access_token=5f1c7e3a9b2d4f6081c3e5a7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7"
pg_dump "postgres://backup:Wq4Zr8Lk2Pn6@db.prod.internal:5432/ledger" > /backups/ledger.sql
