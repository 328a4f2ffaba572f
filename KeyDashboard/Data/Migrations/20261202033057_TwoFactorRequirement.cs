using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace KeyDashboard.Data.Migrations
{
    /// <inheritdoc />
    public partial class TwoFactorRequirement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "RequireTwoFactorForManagers",
                table: "Workspaces",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RequireTwoFactorForManagers",
                table: "Workspaces");
        }
    }
}
