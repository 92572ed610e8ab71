"""The Altinn Correspondence dialect: /correspondence/api/v1 at the host root (issue 10)."""
