//! Named volumes on EFS: the `efs` stack, and what each family mounting a volume gets (task
//! definition volume, task role policy, NFS ingress).

mod ecs_common;

use ecs_common::*;
use serde_json::{json, Value};

const APP: &str = r#"services:
  web:
    image: example/web:1
    volumes:
      - uploads:/app/uploads
      - type: volume
        source: pgdata
        target: /backup
        read_only: true
      - /scratch
      - type: tmpfs
        target: /tmp/cache
  db:
    image: postgres:16
    volumes:
      - pgdata:/var/lib/postgresql/data
volumes:
  pgdata:
    driver_opts:
      uid: "999"
      gid: "999"
      root_directory: /pgdata
      throughput_mode: provisioned
      provisioned_throughput: "64"
      lifecycle_policy: AFTER_30_DAYS
      backup_policy: ENABLED
  uploads:
    name: shop-uploads
    labels:
      team: storefront
"#;

fn rendered(text: &str, layout: Layout) -> (Vec<(String, Value)>, Vec<Diagnostic>) {
    let (files, diags) = render_text(text, layout);
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:#?}");
    (templates(&files), diags)
}

fn of_type<'a>(t: &'a Value, type_: &str) -> Vec<(&'a String, &'a Value)> {
    t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == type_)
        .collect()
}

#[test]
fn each_named_volume_is_an_encrypted_file_system_with_a_mount_target_per_app_subnet() {
    let (all, _) = rendered(APP, Layout::Nested);
    let efs = template(&all, "efs");
    let systems = of_type(&efs, "AWS::EFS::FileSystem");
    let names: Vec<&str> = systems.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["UploadsFileSystem", "PgdataFileSystem"]);
    let pgdata = resource(&efs, "PgdataFileSystem");
    assert_eq!(pgdata["DeletionPolicy"], "Retain");
    let p = &pgdata["Properties"];
    assert_eq!(p["Encrypted"], true);
    assert_eq!(p["ThroughputMode"], "provisioned");
    assert_eq!(p["ProvisionedThroughputInMibps"], 64.0);
    assert_eq!(
        p["LifecyclePolicies"],
        json!([{"TransitionToIA": "AFTER_30_DAYS"}])
    );
    assert_eq!(p["BackupPolicy"], json!({"Status": "ENABLED"}));
    let uploads = &resource(&efs, "UploadsFileSystem")["Properties"];
    assert!(uploads.get("ThroughputMode").is_none());
    assert_eq!(
        uploads["FileSystemTags"],
        json!([
            {"Key": "Name", "Value": "shop-uploads"},
            {"Key": "com.docker.compose.volume", "Value": "uploads"},
            {"Key": "team", "Value": "storefront"},
        ])
    );
    // The VPC composex creates has two app subnets: one mount target in each.
    let targets = of_type(&efs, "AWS::EFS::MountTarget");
    assert_eq!(targets.len(), 4);
    let target = &resource(&efs, "PgdataMountTarget2")["Properties"];
    assert_eq!(
        target["SubnetId"],
        json!({"Fn::Select": ["1", {"Ref": "AppSubnets"}]})
    );
    assert_eq!(
        target["SecurityGroups"],
        json!([{"Fn::GetAtt": ["PgdataMountTargetSecurityGroup", "GroupId"]}])
    );
    let ap = resource(&efs, "PgdataAccessPoint");
    assert_eq!(
        ap["DependsOn"],
        json!(["PgdataMountTarget1", "PgdataMountTarget2"])
    );
    assert_eq!(
        ap["Properties"]["PosixUser"],
        json!({"Uid": "999", "Gid": "999"})
    );
    assert_eq!(
        ap["Properties"]["RootDirectory"],
        json!({"Path": "/pgdata", "CreationInfo": {"OwnerUid": "999", "OwnerGid": "999", "Permissions": "0755"}})
    );
    assert!(resource(&efs, "UploadsAccessPoint")["Properties"]
        .get("PosixUser")
        .is_none());
}

#[test]
fn the_task_definition_mounts_the_file_system_through_its_access_point() {
    let (all, _) = rendered(APP, Layout::Nested);
    let db = template(&all, "db");
    let volumes = &resource(&db, "TaskDefinition")["Properties"]["Volumes"];
    assert_eq!(
        volumes,
        &json!([{
            "Name": "Pgdata",
            "EFSVolumeConfiguration": {
                "FilesystemId": {"Ref": "PgdataFileSystemId"},
                "TransitEncryption": "ENABLED",
                "AuthorizationConfig": {"AccessPointId": {"Ref": "PgdataAccessPointId"}, "IAM": "ENABLED"},
            },
        }])
    );
    let mounts =
        &resource(&db, "TaskDefinition")["Properties"]["ContainerDefinitions"][0]["MountPoints"];
    assert_eq!(
        mounts,
        &json!([{"SourceVolume": "Pgdata", "ContainerPath": "/var/lib/postgresql/data", "ReadOnly": false}])
    );
    // Anonymous volumes and tmpfs stay task storage.
    let web = template(&all, "web");
    let volumes = resource(&web, "TaskDefinition")["Properties"]["Volumes"]
        .as_array()
        .unwrap()
        .clone();
    let names: Vec<(&str, bool)> = volumes
        .iter()
        .map(|v| {
            (
                v["Name"].as_str().unwrap(),
                v.get("EFSVolumeConfiguration").is_some(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("Uploads", true),
            ("Pgdata", true),
            ("Scratch", false),
            ("TmpCache", false)
        ]
    );
}

fn efs_policy<'a>(t: &'a Value, name: &str) -> &'a Value {
    resource(t, "TaskRole")["Properties"]["Policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["PolicyName"] == name)
        .unwrap_or_else(|| panic!("no policy {name}"))
}

#[test]
fn the_task_role_may_mount_only_its_file_systems_through_their_access_points() {
    let (all, _) = rendered(APP, Layout::Nested);
    let db = template(&all, "db");
    assert_eq!(
        efs_policy(&db, "EfsPgdata")["PolicyDocument"]["Statement"],
        json!([{
            "Sid": "MountThroughAccessPoint",
            "Effect": "Allow",
            "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
            "Resource": {"Ref": "PgdataFileSystemArn"},
            "Condition": {"StringEquals": {"elasticfilesystem:AccessPointArn": {"Ref": "PgdataAccessPointArn"}}},
        }])
    );
    // web mounts pgdata read-only: mount, no write.
    let web = template(&all, "web");
    assert_eq!(
        efs_policy(&web, "EfsPgdata")["PolicyDocument"]["Statement"][0]["Action"],
        json!(["elasticfilesystem:ClientMount"])
    );
    assert!(resource(&db, "TaskRole")["Properties"]["Policies"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["PolicyName"] != "EfsUploads"));
}

#[test]
fn the_mount_targets_let_in_exactly_the_families_that_mount_them_on_nfs() {
    let (all, _) = rendered(APP, Layout::Nested);
    let db = template(&all, "db");
    assert_eq!(
        resource(&db, "PgdataNfsIngress")["Properties"],
        json!({
            "GroupId": {"Ref": "PgdataMountTargetSecurityGroupId"},
            "SourceSecurityGroupId": {"Fn::GetAtt": ["SecurityGroup", "GroupId"]},
            "IpProtocol": "tcp",
            "FromPort": 2049,
            "ToPort": 2049,
            "Description": "NFS from the db tasks",
        })
    );
    let web = template(&all, "web");
    let rules: Vec<&String> = of_type(&web, "AWS::EC2::SecurityGroupIngress")
        .into_iter()
        .map(|(n, _)| n)
        .filter(|n| n.ends_with("NfsIngress"))
        .collect();
    assert_eq!(rules, ["UploadsNfsIngress", "PgdataNfsIngress"]);
    // The root passes the efs stack's outputs to the families.
    let root = template(&all, "myapps");
    assert_eq!(
        root["Resources"]["Db"]["Properties"]["Parameters"]["PgdataFileSystemId"],
        json!({"Fn::GetAtt": ["Efs", "Outputs.PgdataFileSystemId"]})
    );
}

#[test]
fn in_one_template_the_service_waits_for_the_access_point() {
    let (all, _) = rendered(APP, Layout::Single);
    let t = template(&all, "myapps");
    assert_eq!(
        resource(&t, "DbService")["DependsOn"],
        json!("EfsPgdataAccessPoint")
    );
    assert_eq!(
        resource(&t, "DbTaskDefinition")["Properties"]["Volumes"][0]["EFSVolumeConfiguration"]
            ["FilesystemId"],
        json!({"Ref": "EfsPgdataFileSystem"})
    );
}

const EXISTING_VPC: &str = r#"x-vpc:
  Lookup:
    VpcId: vpc-0123456789abcdef0
    AppSubnets: [subnet-0000000000000000a, subnet-0000000000000000b, subnet-0000000000000000c]
    StorageSubnets: [subnet-0000000000000000d]
    PublicSubnets: [subnet-0000000000000000e]
services:
  db:
    image: mysql:8
    volumes: [data:/var/lib/mysql]
volumes:
  data: {}
"#;

#[test]
fn an_existing_vpc_gets_one_mount_target_per_given_app_subnet() {
    let (all, diags) = rendered(EXISTING_VPC, Layout::Nested);
    let efs = template(&all, "efs");
    assert_eq!(of_type(&efs, "AWS::EFS::MountTarget").len(), 3);
    assert!(!diags.iter().any(|d| d.code == "CX244"), "{diags:#?}");
    let tagged = EXISTING_VPC.replace(
        "[subnet-0000000000000000a, subnet-0000000000000000b, subnet-0000000000000000c]",
        "{Tags: [{tier: app}]}",
    );
    let (all, diags) = rendered(&tagged, Layout::Nested);
    let efs = template(&all, "efs");
    assert_eq!(of_type(&efs, "AWS::EFS::MountTarget").len(), 2);
    let warned: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == "CX244").collect();
    assert_eq!(warned.len(), 1, "{diags:#?}");
}

#[test]
fn an_external_volume_is_an_existing_file_system_given_as_a_parameter() {
    let text = r#"services:
  app:
    image: example/app:1
    volumes: [shared:/srv/shared]
volumes:
  shared:
    external: true
    name: fs-0123456789abcdef0
"#;
    let (files, diags) = render_text(text, Layout::Nested);
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:#?}");
    let all = templates(&files);
    let efs = template(&all, "efs");
    assert!(of_type(&efs, "AWS::EFS::FileSystem").is_empty());
    assert!(of_type(&efs, "AWS::EFS::MountTarget").is_empty());
    assert_eq!(
        resource(&efs, "SharedAccessPoint")["Properties"]["FileSystemId"],
        json!({"Ref": "SharedFileSystemId"})
    );
    let root = template(&all, "myapps");
    assert_eq!(root["Parameters"]["SharedFileSystemId"]["Type"], "String");
    let params = files
        .iter()
        .find(|f| f.path == "myapps.params.json")
        .unwrap();
    assert!(
        params.text.contains("\"fs-0123456789abcdef0\""),
        "{}",
        params.text
    );
    // Its mount targets are not ours: no ingress rule, an info saying so.
    let app = template(&all, "app");
    assert!(app["Resources"].get("SharedNfsIngress").is_none());
    assert!(diags.iter().any(|d| d.code == "CX246"), "{diags:#?}");
    assert!(!diags.iter().any(|d| d.code == "CX338"), "{diags:#?}");
}

#[test]
fn bad_driver_opts_are_refused_at_their_value_and_local_options_warned_at_their_key() {
    let text = "services:\n  app:\n    image: example/app:1\n    volumes: [data:/data]\nvolumes:\n  data:\n    driver_opts:\n      performance_mode: fast\n      type: none\n      uid: \"1000\"\n";
    let (_, diags) = render_text(text, Layout::Nested);
    let found: Vec<(&str, String)> = diags
        .iter()
        .map(|d| {
            let span = d.span.unwrap();
            (
                d.code,
                text[span.start as usize..span.end as usize].to_string(),
            )
        })
        .collect();
    assert!(found.contains(&("CX242", "fast".into())), "{found:?}");
    assert!(found.contains(&("CX243", "type".into())), "{found:?}");
    assert!(found.contains(&("CX242", "uid".into())), "{found:?}");
}

#[test]
fn services_of_one_task_family_share_one_mount_of_a_volume() {
    let text = r#"services:
  app:
    image: example/app:1
    volumes: [shared:/srv/shared]
    deploy: {labels: {ecs.task.family: backend}}
  worker:
    image: example/worker:1
    volumes: ["shared:/srv/shared:ro"]
    deploy: {labels: {ecs.task.family: backend}}
volumes:
  shared: {}
"#;
    let (all, _) = rendered(text, Layout::Nested);
    let backend = template(&all, "backend");
    let volumes = &resource(&backend, "TaskDefinition")["Properties"]["Volumes"];
    assert_eq!(volumes.as_array().unwrap().len(), 1);
    assert!(volumes[0].get("EFSVolumeConfiguration").is_some());
    let policies: Vec<&Value> = resource(&backend, "TaskRole")["Properties"]["Policies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["PolicyName"] == "EfsShared")
        .collect();
    assert_eq!(policies.len(), 1);
    // One of the two mounts writes: the family may write.
    assert_eq!(
        policies[0]["PolicyDocument"]["Statement"][0]["Action"],
        json!([
            "elasticfilesystem:ClientMount",
            "elasticfilesystem:ClientWrite"
        ])
    );
    assert_eq!(
        of_type(&backend, "AWS::EC2::SecurityGroupIngress")
            .iter()
            .filter(|(n, _)| n.ends_with("NfsIngress"))
            .count(),
        1
    );
}

#[test]
fn file_system_options_on_an_external_volume_are_warned_about() {
    let text = r#"services:
  app:
    image: example/app:1
    volumes: [shared:/srv/shared]
volumes:
  shared:
    external: true
    driver_opts:
      lifecycle_policy: AFTER_7_DAYS
      uid: "1000"
      gid: "1000"
"#;
    let (all, diags) = rendered(text, Layout::Nested);
    let at = |code: &str| -> Vec<String> {
        diags
            .iter()
            .filter(|d| d.code == code)
            .map(|d| {
                let span = d.span.unwrap();
                text[span.start as usize..span.end as usize].to_string()
            })
            .collect()
    };
    assert_eq!(at("CX243"), ["lifecycle_policy"]);
    let efs = template(&all, "efs");
    // The access point options still apply.
    assert_eq!(
        resource(&efs, "SharedAccessPoint")["Properties"]["PosixUser"],
        json!({"Uid": "1000", "Gid": "1000"})
    );
}

const XEFS: &str = include_str!("../src/modules/efs/fixtures/shared.yml");

#[test]
fn x_efs_properties_win_and_enforce_iam_auth_adds_a_file_system_policy() {
    let (all, diags) = rendered(XEFS, Layout::Nested);
    assert!(diags.is_empty(), "{diags:#?}");
    let efs = template(&all, "efs");
    let fs = &resource(&efs, "UploadsFileSystem")["Properties"];
    assert_eq!(fs["Encrypted"], true);
    assert_eq!(
        fs["LifecyclePolicies"],
        json!([{"TransitionToIA": "AFTER_30_DAYS"}])
    );
    assert_eq!(
        fs["FileSystemTags"][0],
        json!({"Key": "team", "Value": "media"})
    );
    let statements = fs["FileSystemPolicy"]["Statement"].as_array().unwrap();
    assert_eq!(statements[0]["Effect"], "Deny");
    assert_eq!(
        statements[0]["Condition"],
        json!({"Bool": {"aws:SecureTransport": "false"}})
    );
    // Settings.Subnets: the mount targets go in the storage subnets.
    for (_, target) in of_type(&efs, "AWS::EFS::MountTarget") {
        assert_eq!(
            target["Properties"]["SubnetId"]["Fn::Select"][1],
            json!({"Ref": "StorageSubnets"})
        );
    }
    let ap = &resource(&efs, "UploadsAccessPoint")["Properties"];
    assert_eq!(ap["RootDirectory"]["CreationInfo"]["Permissions"], "0770");
    // The read-only mounter may mount, not write.
    let thumbnailer = template(&all, "thumbnailer");
    assert_eq!(
        efs_policy(&thumbnailer, "EfsUploads")["PolicyDocument"]["Statement"][0]["Action"],
        json!(["elasticfilesystem:ClientMount"])
    );
}

#[test]
fn users_encryption_setting_wins() {
    let text = "services:\n  app:\n    image: example/app:1\n    volumes: [data:/data]\nvolumes:\n  data:\n    x-efs:\n      Properties:\n        Encrypted: false\n";
    let (all, _) = rendered(text, Layout::Nested);
    let efs = template(&all, "efs");
    assert_eq!(
        resource(&efs, "DataFileSystem")["Properties"]["Encrypted"],
        false
    );
    assert!(resource(&efs, "DataFileSystem")["Properties"]
        .get("FileSystemPolicy")
        .is_none());
}

#[test]
fn x_efs_lookup_is_an_existing_file_system_given_as_a_parameter() {
    let text = "services:\n  app:\n    image: example/app:1\n    volumes: [data:/data]\nvolumes:\n  data:\n    x-efs:\n      Lookup:\n        Arn: arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123456789abcdef0\n      MacroParameters:\n        EnforceIamAuth: true\n";
    let (files, diags) = render_text(text, Layout::Nested);
    let all = templates(&files);
    let efs = template(&all, "efs");
    assert!(of_type(&efs, "AWS::EFS::FileSystem").is_empty());
    assert_eq!(
        resource(&efs, "DataAccessPoint")["Properties"]["FileSystemId"],
        json!({"Ref": "DataFileSystemId"})
    );
    let params = files
        .iter()
        .find(|f| f.path == "myapps.params.json")
        .unwrap();
    assert!(
        params.text.contains("\"fs-0123456789abcdef0\""),
        "{}",
        params.text
    );
    let warned: Vec<&str> = diags
        .iter()
        .filter(|d| d.code == "CX622")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        warned,
        ["volumes.data.x-efs: EnforceIamAuth does not change an existing file system's policy"]
    );
}

#[test]
fn bad_x_efs_settings_are_located() {
    let text = "services:\n  app:\n    image: example/app:1\n    volumes: [data:/data]\nvolumes:\n  data:\n    x-efs:\n      Properties:\n        Encrypt: true\n      MacroParameters:\n        EnforceIamAuth: maybe\n        RootDirectoryCreateMode: 775\n      Settings:\n        Subnets: PublicSubnets\n      Lookups: {}\n";
    let (files, diags) = render_text(text, Layout::Nested);
    assert!(files.is_empty());
    let found: Vec<(&str, String)> = diags
        .iter()
        .filter(|d| d.code == "CX622")
        .map(|d| {
            let span = d.span.unwrap();
            (
                d.code,
                text[span.start as usize..span.end as usize].to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("CX622", "Encrypt".to_string()),
            ("CX622", "maybe".to_string()),
            ("CX622", "775".to_string()),
            ("CX622", "PublicSubnets".to_string()),
            ("CX622", "Lookups".to_string()),
        ]
    );
}
