//! Valid calls of the five seed operations, built with their generated clients, for the
//! end-to-end tests (every required parameter set, values chosen to exercise encoding).

use alibabacloud_adb20211201 as adb;
use alibabacloud_dataworks_public20200518 as dataworks;
use alibabacloud_rds20140815 as rds;

pub fn adb_create_aps_job(client: &adb::Client) -> adb::CreateApsJobBuilder {
    client
        .create_aps_job()
        .region_id("cn-shanghai")
        .source_endpoint_instance_id("pc-xxxxx")
        .destination_endpoint_instance_id("amv-xxxxx")
        .db_list(r#"{"EntireInstance":true}"#)
        .aps_job_name("orders sync*~")
        .source_endpoint_password("secret-pw")
}

pub fn adb_create_aps_copy_workload(client: &adb::Client) -> adb::CreateApsCopyWorkloadBuilder {
    client
        .create_aps_copy_workload()
        .db_cluster_id("am-bp1xxxxxxxx47")
        .workload_type("SLS_INGESTION_ADB")
        .workload_id("aps-******")
        .datasource_id(7)
}

pub fn adb_start_aps_job(client: &adb::Client) -> adb::StartApsJobBuilder {
    client
        .start_aps_job()
        .region_id("cn-hangzhou")
        .aps_job_id("aps-******")
}

pub fn rds_call(client: &rds::Client) -> rds::CreateReplicationLinkBuilder {
    client
        .create_replication_link()
        .db_instance_id("pgm-bp1trqb4p1xd****")
        .dry_run(false)
        .source_port(5432)
        .replicator_password("do-not-print")
        .task_name("a b+c/d~e*f中")
}

pub fn dataworks_call(client: &dataworks::Client) -> dataworks::CreateDiSyncTaskBuilder {
    client
        .create_di_sync_task()
        .project_id(10000)
        .task_type("DI_OFFLINE")
        .task_content(r#"{"type":"job","version":"2.0"}"#)
        .task_param(r#"{"FileFolderPath":"Business Flow/XXX/Data Integration"}"#)
        .task_name("new_di_task")
}
