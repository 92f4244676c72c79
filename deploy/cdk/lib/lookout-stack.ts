import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  aws_certificatemanager as acm,
  aws_ec2 as ec2,
  aws_ecs as ecs,
  aws_elasticloadbalancingv2 as elbv2,
  aws_iam as iam,
  aws_logs as logs,
  aws_rds as rds,
  aws_secretsmanager as sm,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { readPolicy } from './policies.ts';

export interface LookoutStackProps extends StackProps {
  /** `http`: behind an internet-facing ALB (Slack posts to /slack/events). `socket`: Socket Mode, no load balancer. */
  mode: 'http' | 'socket';
  /** The container image, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com/lookout:1.2.0`. */
  image: string;
  /**
   * The Secrets Manager secret (name) holding the Slack credentials as JSON keys: `SLACK_BOT_TOKEN`, and
   * `SLACK_SIGNING_SECRET` (http) or `SLACK_APP_TOKEN` (socket). Created by hand once (docs/deploy.md). Default `lookout/slack`.
   */
  slackSecretName?: string;
  /** Where lookout.yml is inside the image (LOOKOUT_CONFIG), e.g. baked in with `COPY lookout.yml /etc/lookout/`. */
  configPath?: string;
  /** HTTPS certificate for the ALB (Slack needs https). Without it the listener is plain HTTP on port 80. */
  certificateArn?: string;
  /** Replicas; Postgres keeps approvals, watches and reports exactly-once across them. Default 2. */
  desiredCount?: number;
  /**
   * TLS to RDS (pg's PGSSLMODE). `no-verify` encrypts without checking the server certificate; `verify-full`
   * checks it and needs the RDS CA bundle in the image (NODE_EXTRA_CA_CERTS). Default `no-verify`.
   */
  databaseSsl?: 'no-verify' | 'verify-full';
  /** An existing VPC; default a new one over two AZs with one NAT gateway. */
  vpc?: ec2.IVpc;
}

const PORT = 3000;

/** Lookout on ECS Fargate with RDS Postgres, its runtime role, Slack secrets from Secrets Manager, and an ALB in HTTP mode. */
export class LookoutStack extends Stack {
  readonly service: ecs.FargateService;
  readonly runtimeRole: iam.Role;

  constructor(scope: Construct, id: string, props: LookoutStackProps) {
    super(scope, id, props);
    const vpc = props.vpc ?? new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });

    // A Fargate task's disk does not survive a deploy, so the store is Postgres (SQLite is for one machine).
    const db = new rds.DatabaseInstance(this, 'Store', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      credentials: rds.Credentials.fromGeneratedSecret('lookout'),
      databaseName: 'lookout',
      storageEncrypted: true,
      allocatedStorage: 20,
      backupRetention: Duration.days(7),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });
    const dbSecret = db.secret!;

    // Lookout's own role: it may only assume each account's `lookout` role (deploy/iam/lookout-runtime.json).
    this.runtimeRole = new iam.Role(this, 'RuntimeRole', {
      roleName: 'lookout-runtime',
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      inlinePolicies: { 'lookout-runtime': iam.PolicyDocument.fromJson(readPolicy('lookout-runtime')) },
    });

    const task = new ecs.FargateTaskDefinition(this, 'Task', { cpu: 512, memoryLimitMiB: 1024, taskRole: this.runtimeRole });
    const slack = sm.Secret.fromSecretNameV2(this, 'SlackSecret', props.slackSecretName ?? 'lookout/slack');
    const slackSecret = (key: string) => ecs.Secret.fromSecretsManager(slack, key);
    const dbField = (key: string) => ecs.Secret.fromSecretsManager(dbSecret, key);
    task.addContainer('lookout', {
      image: ecs.ContainerImage.fromRegistry(props.image),
      portMappings: [{ containerPort: PORT }],
      logging: ecs.LogDriver.awsLogs({ streamPrefix: 'lookout', logRetention: logs.RetentionDays.ONE_MONTH }),
      environment: {
        NODE_ENV: 'production',
        PORT: String(PORT),
        // No credentials in the URL: pg fills host, port, user and password from the PG* secrets below.
        DATABASE_URL: 'postgres:///lookout',
        PGSSLMODE: props.databaseSsl ?? 'no-verify',
        ...(props.configPath ? { LOOKOUT_CONFIG: props.configPath } : {}),
      },
      secrets: {
        SLACK_BOT_TOKEN: slackSecret('SLACK_BOT_TOKEN'),
        ...(props.mode === 'http' ? { SLACK_SIGNING_SECRET: slackSecret('SLACK_SIGNING_SECRET') } : { SLACK_APP_TOKEN: slackSecret('SLACK_APP_TOKEN') }),
        PGHOST: dbField('host'),
        PGPORT: dbField('port'),
        PGUSER: dbField('username'),
        PGPASSWORD: dbField('password'),
      },
      healthCheck: {
        command: ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${PORT}/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        startPeriod: Duration.seconds(30),
      },
      // SIGTERM: Lookout answers 503, finishes acknowledged work and writes its audit rows before exiting.
      stopTimeout: Duration.seconds(30),
    });

    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    this.service = new ecs.FargateService(this, 'Service', {
      cluster,
      taskDefinition: task,
      desiredCount: props.desiredCount ?? 2,
      // Rolling: the previous version keeps running against the new schema (migrations only add).
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });
    db.connections.allowDefaultPortFrom(this.service, 'Lookout to its store');

    if (props.mode === 'http') this.addLoadBalancer(vpc, props.certificateArn);
    new CfnOutput(this, 'RuntimeRoleArn', { value: this.runtimeRole.roleArn, description: 'trusted by each account role stack' });
  }

  /**
   * HTTPS only (Slack accepts no plain-HTTP request URL), and only `/slack/events` reaches Lookout: /metrics and
   * /readyz stay inside the VPC (the target group's health check does not go through listener rules).
   */
  private addLoadBalancer(vpc: ec2.IVpc, certificateArn: string | undefined): void {
    if (!certificateArn) throw new Error('mode=http needs certificateArn: Slack only sends requests to an https:// URL');
    const alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', { vpc, internetFacing: true });
    const listener = alb.addListener('Https', {
      port: 443,
      certificates: [acm.Certificate.fromCertificateArn(this, 'Certificate', certificateArn)],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'not found' }),
    });
    listener.addTargets('Lookout', {
      priority: 10,
      conditions: [elbv2.ListenerCondition.pathPatterns(['/slack/events'])],
      port: PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [this.service],
      // /readyz: store reachable and Slack auth ok; a draining replica answers 503 and leaves the rotation.
      healthCheck: { path: '/readyz', healthyHttpCodes: '200', interval: Duration.seconds(10), healthyThresholdCount: 2, unhealthyThresholdCount: 3 },
      deregistrationDelay: Duration.seconds(30),
    });
    new CfnOutput(this, 'SlackRequestUrl', { value: `https://${alb.loadBalancerDnsName}/slack/events` });
  }
}
