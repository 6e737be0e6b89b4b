"""Policy matching (政策找企业): eligibility conditions from policy text, enterprise profiles, match and remind."""
