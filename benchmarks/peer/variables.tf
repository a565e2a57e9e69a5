variable "emulator_port" {
  description = "Port of the local AWS emulator (moto server) on 127.0.0.1."
  type        = number
}

variable "region" {
  description = "The stack's region (inventories/local: wordpress_aws_region)."
  type        = string
  default     = "eu-west-3"
}

variable "stack_name" {
  description = "The stack name (inventories/local: wordpress_aws_stack_name), carried in the tag wordpress_aws:stack."
  type        = string
  default     = "techblog-local"
}

variable "lambda_zip_dir" {
  description = "Directory holding the Lambda packages (<function>.zip), built by benchmarks/converge.py from roles/*/files."
  type        = string
}
