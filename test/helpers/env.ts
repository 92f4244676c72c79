// Every test process: never reach the instance-metadata address or real AWS credentials.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
// Canary values (test/helpers/canaries.ts, inlined: this file runs before any module is loaded): e2e files scan
// every log line, Slack call, audit row and /metrics body for them.
process.env.AWS_ACCESS_KEY_ID = 'AKIACANARY7Q2W3E4R5T';
process.env.AWS_SECRET_ACCESS_KEY = 'canary/aws/secret+6h8j0k2l4m6n8p0q';
process.env.AWS_SESSION_TOKEN = 'canary-session-IQoJb3JpZ2luX2VjE9x';
process.env.AWS_REGION = process.env.AWS_REGION ?? 'us-east-1';
delete process.env.AWS_PROFILE;
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
// Any AWS call a test forgets to mock fails fast on a closed loopback port instead of reaching AWS.
process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
