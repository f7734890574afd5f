import os

# Fine: read from the environment.
STRIPE_KEY = os.environ["STRIPE_KEY"]

# Planted: a signed service token copied from a working request.
SERVICE_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtcmVwb3J0cyIsInJvbGUiOiJhZG1pbiIsImlhdCI6MTcxNDU2MDAwMH0.q8Zr2LmXv7Tp4Nk9Wb3Hs6Qa1Ue5Yc0Jd"

# Fine: a placeholder in documentation.
EXAMPLE_KEY = "<your-api-key>"
